import XCTest
@testable import TrainingEngine

final class TensorTests: XCTestCase {
    func testBroadcastAdd() throws {
        let a = try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let b = try Tensor(shape: [3], scalars: [10, 20, 30])
        XCTAssertEqual(try (a + b).scalars, [11, 22, 33, 14, 25, 36])
    }
}
