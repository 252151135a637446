import Foundation
import GRDB
import Store

extension Dataset {
    /// True for SQLite's word that the file is damaged or not a database at all.
    public static func isDamage(_ error: any Error) -> Bool {
        if error is DatasetDamage { return true }
        guard let e = error as? DatabaseError else { return false }
        return e.resultCode == .SQLITE_CORRUPT || e.resultCode == .SQLITE_NOTADB
    }

    /// Moves the database file and its journal files under `folder`, named by `stamp`; nothing
    /// is deleted. Returns where the main file went (nil when there was none).
    public static func moveAside(_ path: String, into folder: String, stamp: String) throws(FileError) -> String? {
        try FileIO.makeDirectories(folder)
        let name = (path as NSString).lastPathComponent
        var moved: String?
        for suffix in ["", "-wal", "-shm"] where FileIO.status(path + suffix) != nil {
            let target = folder + "/" + name.replacingOccurrences(of: ".sqlite", with: "-\(stamp).sqlite") + suffix
            try FileIO.rename(path + suffix, to: target)
            if suffix.isEmpty { moved = target }
        }
        return moved
    }
}

/// SQLite's integrity check found the file damaged.
public struct DatasetDamage: Error, CustomStringConvertible {
    public var detail: String
    public var description: String { detail }
}

extension Dataset {
    /// The engine's own check of what it holds (SQLite's quick check over every page): throws
    /// ``DatasetDamage`` when it fails.
    public func verify() throws { try engine.verify() }

    /// Takes the city's hold for a run: false when another run (on any machine) holds it and `wait` is false.
    public func holdCity(wait: Bool) throws -> Bool { try engine.holdCity(wait: wait) }

    public func releaseCity() throws { try engine.releaseCity() }

    /// The file's size, time and inode: taken as a run leaves the file, it tells the next run
    /// whether anything else wrote it since. (What the write-ahead log holds is checksummed by
    /// SQLite itself; the main file changes only when SQLite checkpoints, which a later stamp sees.)
    public static func stamp(_ path: String) -> String? {
        FileIO.status(path).map { "\($0.size):\($0.modified):\($0.identity.inode)" }
    }
}

extension Dataset {
    /// SQLite's word that the file could not be written (disk full, read-only, I/O error), as the
    /// file error the staff are shown for any other write; nil for every other error.
    public static func writeFailure(_ error: any Error, path: String) -> FileError? {
        guard let e = error as? DatabaseError else { return nil }
        switch e.resultCode {
        case .SQLITE_FULL: return FileError(path: path, code: ENOSPC)
        case .SQLITE_READONLY: return FileError(path: path, code: EROFS)
        case .SQLITE_IOERR: return FileError(path: path, code: EIO)
        case .SQLITE_CANTOPEN, .SQLITE_PERM: return FileError(path: path, code: EACCES)
        default: return nil
        }
    }
}
