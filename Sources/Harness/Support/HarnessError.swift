/// A problem with a run's inputs or a failed step, with a one-line message for the user
/// (the CLI prints it and exits non-zero).
public struct HarnessError: Error, CustomStringConvertible, Sendable, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
