/// A command asked for something that cannot be done as asked (exit status 2): the message says
/// what to do instead.
public struct UsageError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
