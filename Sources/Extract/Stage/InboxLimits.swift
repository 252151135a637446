/// What the inbox walk and the extractor accept: set in `config/workspace.json` under `inbox`.
public struct InboxLimits: Sendable, Hashable, Codable {
    /// Files larger than this are not read (a finding says so). Real submissions are under a few
    /// MB; a CMS export of a province's items is tens.
    public var maximumFileBytes: Int
    /// A file changed less than this many seconds before the run is left for the next run: it
    /// may still be being copied in (over the network share, a copy can pause for seconds).
    public var settleSeconds: Double

    public init(maximumFileBytes: Int = 256 << 20, settleSeconds: Double = 10) {
        self.maximumFileBytes = maximumFileBytes
        self.settleSeconds = settleSeconds
    }
}
