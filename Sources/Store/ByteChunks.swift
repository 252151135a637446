/// A file's bytes as the pieces they were made in, written and compared in order and never
/// joined: a province's `by_submitter.csv` is every body's rows, each kept where it was rendered,
/// and joining them would hold the whole file in memory a second time.
public struct ByteChunks: Sendable {
    public private(set) var pieces: [ArraySlice<UInt8>] = []
    /// The bytes of all pieces.
    public private(set) var count = 0

    public init() {}

    public init(_ bytes: [UInt8]) { append(bytes[...]) }

    public mutating func append(_ piece: ArraySlice<UInt8>) {
        guard !piece.isEmpty else { return }
        pieces.append(piece)
        count += piece.count
    }

    public mutating func append(_ bytes: [UInt8]) { append(bytes[...]) }

    /// The pieces as one array (for a reader that needs it whole, such as a test).
    public var joined: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count)
        for piece in pieces { out += piece }
        return out
    }
}
