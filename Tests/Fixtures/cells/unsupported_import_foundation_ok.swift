import Foundation
print("ok")  // expect: ok
