/// A file's bytes as the pieces they were made in, written and compared in order and never
/// joined: a province's `by_submitter.csv` is every body's rows, each kept where it was rendered,
/// and joining them would hold the whole file in memory a second time. A piece is either bytes in
/// memory or a span of a file kept open (a nation's rows wait on disk, not in memory), read a
/// segment at a time when the whole is written or compared.
public struct ByteChunks: Sendable {
    public enum Piece: Sendable {
        case bytes(ArraySlice<UInt8>)
        case span(FileIO.Span)

        public var count: Int {
            switch self {
            case .bytes(let b): b.count
            case .span(let s): s.count
            }
        }
    }

    public private(set) var pieces: [Piece] = []
    /// The bytes of all pieces.
    public private(set) var count = 0

    public init() {}

    public init(_ bytes: [UInt8]) { append(bytes[...]) }

    public init(_ piece: Piece) { append(piece) }

    public mutating func append(_ piece: ArraySlice<UInt8>) {
        guard !piece.isEmpty else { return }
        pieces.append(.bytes(piece))
        count += piece.count
    }

    public mutating func append(_ bytes: [UInt8]) { append(bytes[...]) }

    /// Appends a piece; a span that goes on where the last piece (a span of the same file)
    /// ends extends it, so that rows laid out in order are one span, copied in one go.
    public mutating func append(_ piece: Piece) {
        guard piece.count > 0 else { return }
        count += piece.count
        if case .span(let next) = piece, case .span(let last)? = pieces.last, last.file === next.file,
           last.offset + last.count == next.offset {
            pieces[pieces.count - 1] = .span(FileIO.Span(file: last.file, offset: last.offset, count: last.count + next.count))
            return
        }
        pieces.append(piece)
    }

    /// The largest segment a span is read in.
    static let segment = 1 << 18

    /// Calls `body` with every byte in order: a memory piece as it is, a span a segment at a time
    /// (through one buffer, reused). Stops early, returning false, when `body` does.
    public func forEachSegment(_ body: (UnsafeRawBufferPointer) throws(FileError) -> Bool) throws(FileError) -> Bool {
        var buffer: UnsafeMutableRawBufferPointer?
        defer { buffer?.deallocate() }
        for piece in pieces {
            switch piece {
            case .bytes(let b):
                let go = b.withUnsafeBytes { raw in Result { () throws(FileError) in try body(raw) } }
                if try !go.get() { return false }
            case .span(let s):
                if buffer == nil { buffer = .allocate(byteCount: Self.segment, alignment: 16) }
                var done = 0
                while done < s.count {
                    let take = min(Self.segment, s.count - done)
                    let into = UnsafeMutableRawBufferPointer(rebasing: buffer![0..<take])
                    try s.file.read(at: s.offset + done, into: into)
                    if try !body(UnsafeRawBufferPointer(into)) { return false }
                    done += take
                }
            }
        }
        return true
    }

    /// The pieces as one array (for a reader that needs it whole, such as a test).
    public func joined() throws(FileError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count)
        _ = try forEachSegment { raw in
            out.append(contentsOf: raw)
            return true
        }
        return out
    }
}
