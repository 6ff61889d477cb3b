/// Which instruction each operator compiles to, by operand kind.

extension BinaryOp {
    /// A small number for instructions.
    var code: UInt8 {
        switch self {
        case .add: return 0
        case .sub: return 1
        case .mul: return 2
        case .div: return 3
        case .rem: return 4
        case .bitAnd: return 5
        case .bitOr: return 6
        case .bitXor: return 7
        case .shl: return 8
        case .shr: return 9
        case .eq: return 10
        case .ne: return 11
        case .lt: return 12
        case .le: return 13
        case .gt: return 14
        case .ge: return 15
        }
    }

    init(code: UInt8) {
        switch code {
        case 0: self = .add
        case 1: self = .sub
        case 2: self = .mul
        case 3: self = .div
        case 4: self = .rem
        case 5: self = .bitAnd
        case 6: self = .bitOr
        case 7: self = .bitXor
        case 8: self = .shl
        case 9: self = .shr
        case 10: self = .eq
        case 11: self = .ne
        case 12: self = .lt
        case 13: self = .le
        case 14: self = .gt
        default: self = .ge
        }
    }

    var isComparison: Bool { code >= 10 }

    var instruction: Op? {
        switch self {
        case .add: return .add
        case .sub: return .subtract
        case .mul: return .multiply
        default: return nil
        }
    }

    var constantInstruction: Op? {
        switch self {
        case .add: return .addConst
        case .sub: return .subtractConst
        case .mul: return .multiplyConst
        default: return nil
        }
    }

    var jump: Op? {
        switch self {
        case .lt: return .jumpUnlessLess
        case .le: return .jumpUnlessLessEqual
        case .gt: return .jumpUnlessGreater
        case .ge: return .jumpUnlessGreaterEqual
        case .eq: return .jumpUnlessEqual
        case .ne: return .jumpUnlessNotEqual
        default: return nil
        }
    }

    var constantJump: Op? {
        switch self {
        case .lt: return .jumpUnlessLessConst
        case .le: return .jumpUnlessLessEqualConst
        case .gt: return .jumpUnlessGreaterConst
        case .ge: return .jumpUnlessGreaterEqualConst
        case .eq: return .jumpUnlessEqualConst
        case .ne: return .jumpUnlessNotEqualConst
        default: return nil
        }
    }
}
