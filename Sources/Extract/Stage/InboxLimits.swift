/// What the inbox walk and the extractor accept: set in `config/workspace.json` under `inbox`.
public struct InboxLimits: Sendable, Hashable, Codable {
    /// Files larger than this are not read (a finding says so). Real submissions are under a few
    /// MB; a CMS export of a province's items is tens.
    public var maximumFileBytes: Int
    /// A file is read once it has not changed for this many seconds: it may still be being copied
    /// in (over the network share, a copy can pause for seconds). The run waits for it.
    public var settleSeconds: Double
    /// How long a run waits, at most, for files still changing to settle; one still changing
    /// after that is left for the next run, as an error (F011).
    public var waitSeconds: Double
    /// Inbox files (by ``InboxFile/path``) known to be whole: an upload the `serve` page wrote
    /// and renamed into place. They are read at once, not waited for.
    public var complete: Set<String> = []

    public init(maximumFileBytes: Int = 256 << 20, settleSeconds: Double = 10, waitSeconds: Double = 120) {
        self.maximumFileBytes = maximumFileBytes
        self.settleSeconds = settleSeconds
        self.waitSeconds = waitSeconds
    }
}
