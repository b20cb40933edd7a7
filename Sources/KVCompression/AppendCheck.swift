import LinearAlgebra

/// Validates an `append` before a compressor touches it, so that a malformed call fails its own
/// row with a one-line error instead of trapping: `block` must be `[t × headDim]`, `positions`
/// must hold `t` ascending positions, all after `last` (the last position already stored), and
/// every value must be finite (a NaN would otherwise poison a basis or trap a quantiser).
public func checkAppend(_ block: Matrix, positions: [Int], headDim: Int, after last: Int?, context: String) throws {
    guard block.cols == headDim else {
        throw ConfigurationError("\(context): appended block has \(block.cols) columns, expected headDim \(headDim)")
    }
    guard positions.count == block.rows else {
        throw ConfigurationError("\(context): \(block.rows) vectors appended with \(positions.count) positions")
    }
    guard block.storage.allSatisfy({ $0.isFinite }) else {
        throw ConfigurationError("\(context): appended block has NaN or infinite values")
    }
    var previous = last ?? -1
    for position in positions {
        guard position > previous else {
            throw ConfigurationError("\(context): positions must be ascending and after \(previous), got \(position)")
        }
        previous = position
    }
}
