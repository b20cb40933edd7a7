/// A compressor misbehaved (threw, returned a wrong shape, NaN/Inf, or a decoding that differs):
/// the configuration's unit fails with `reason`, one line, and the run goes on.
public struct CompressorFailure: Error, CustomStringConvertible, Sendable {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}
