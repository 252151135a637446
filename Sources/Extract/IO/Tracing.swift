/// A hook for step timings (set by the executable when DISCLOSURE_TRACE=1; nil otherwise).
public enum Tracing {
    nonisolated(unsafe) public static var mark: ((String) -> Void)?
}
