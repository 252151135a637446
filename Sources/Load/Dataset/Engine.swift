import Core
import Foundation
import Transform

// The dataset's queries are written once, in the SQL both engines speak, against this small
// surface: `?` placeholders, values of four kinds, columns read by position. Each engine (SQLite
// here, PostgreSQL in its own module) makes the statements, transactions and rows of its own.

/// A value bound to a statement's `?`, as both engines store it.
public enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case text(String)
    case boolean(Bool)

    public static func of(_ value: Int?) -> SQLValue { value.map { .integer(Int64($0)) } ?? .null }
    public static func of(_ value: Int64?) -> SQLValue { value.map { .integer($0) } ?? .null }
    public static func of(_ value: String?) -> SQLValue { value.map { .text($0) } ?? .null }
    public static func of(_ value: Bool) -> SQLValue { .boolean(value) }
}

/// One row of a result, its columns read by position (as the query lists them).
public protocol SQLRow {
    func string(_ column: Int) -> String?
    func integer(_ column: Int) -> Int64?
    func boolean(_ column: Int) -> Bool
    /// Whether the column holds exactly `text`'s bytes (a reader that meets the same long text
    /// row after row keeps the string it has instead of making another).
    func holds(_ column: Int, _ text: String) -> Bool
}

extension SQLRow {
    /// A column that is never NULL.
    public func text(_ column: Int) -> String { string(column) ?? "" }
    public func int(_ column: Int) -> Int? { integer(column).map(Int.init) }
}

/// What a transaction (or a read) may do: the statements of the dataset's queries.
public protocol SQLSession {
    func execute(_ sql: String, _ arguments: [SQLValue]) throws
    /// Runs a query whose result is small, calling `body` for each row.
    func each(_ sql: String, _ arguments: [SQLValue], _ body: (any SQLRow) throws -> Void) throws
    /// Runs a query whose result may be a province's facts: read in batches where the engine
    /// would otherwise hold every row at once.
    func stream(_ sql: String, _ arguments: [SQLValue], _ body: (any SQLRow) throws -> Void) throws
    /// Inserts one row into a table with an `id` column and returns its id.
    func insert(_ sql: String, _ arguments: [SQLValue]) throws -> Int64
    /// Adds a submission's facts (the bulk of every load): each engine has its fastest path.
    func insertFacts(submission: Int64, _ facts: [Fact]) throws
    /// The id for a row about to be inserted into `table` (one with an `id` column), when the
    /// engine hands them out ahead: the insert is then sent without waiting for one back. Nil:
    /// the insert itself makes it (``insert(_:_:)``).
    func nextID(in table: String) throws -> Int64?
}

extension SQLSession {
    public func nextID(in table: String) throws -> Int64? { nil }

    public func execute(_ sql: String) throws { try execute(sql, []) }

    public func all<T>(_ sql: String, _ arguments: [SQLValue], _ make: (any SQLRow) throws -> T) throws -> [T] {
        var out: [T] = []
        try each(sql, arguments) { out.append(try make($0)) }
        return out
    }

    public func one<T>(_ sql: String, _ arguments: [SQLValue], _ make: (any SQLRow) throws -> T) throws -> T? {
        var out: T?
        try each(sql, arguments) { row in if out == nil { out = try make(row) } }
        return out
    }
}

/// Where the dataset is kept: its transactions, its own check of what it holds, and the
/// exclusion of a second run of the same city.
public protocol DatasetEngine: Sendable {
    /// A consistent read: what `body` sees does not change under it.
    func read<T>(_ body: (any SQLSession) throws -> T) throws -> T
    /// One transaction: all of `body`'s changes or none.
    func write<T>(_ body: (any SQLSession) throws -> T) throws -> T
    /// The engine's check that what it holds is whole (throws ``DatasetDamage``).
    func verify() throws
    /// Takes the city's exclusive hold for a run (beside the workspace's own lock file, which
    /// only excludes runs on the same machine); false when another run holds it and `wait` is false.
    func holdCity(wait: Bool) throws -> Bool
    func releaseCity() throws
    /// Brings the engine's own knowledge of the tables up to date after a load that wrote many
    /// rows, inside its transaction (a planner that still counts the tables as empty picks plans
    /// for empty tables when the report reads them a moment later).
    func refreshStatistics(_ db: any SQLSession) throws
}

extension DatasetEngine {
    public func holdCity(wait: Bool) throws -> Bool { true }
    public func releaseCity() throws {}
    public func refreshStatistics(_ db: any SQLSession) throws {}
}

/// A dataset that could not be opened or written, in the words the staff are shown.
public enum DatasetError: Error, CustomStringConvertible, Sendable {
    /// The setting is wrong (a malformed address, a password written in a file): exit 2.
    case setting(String)
    /// The server refused the login or the database: exit 2.
    case refused(String)
    /// The server could not be reached, or went away during the run: exit 4.
    case unreachable(String)
    /// The server could not write (its disk is full, it is read-only): exit 4.
    case writeFailed(String)

    public var description: String {
        switch self {
        case .setting(let s), .refused(let s), .unreachable(let s), .writeFailed(let s): return s
        }
    }
}
