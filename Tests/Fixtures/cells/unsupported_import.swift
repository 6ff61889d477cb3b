import Foundation
import TensorFlow  // expect error: UnsupportedSyntax: importing modules is not supported in Shoal cells; everything Shoal offers is already available
