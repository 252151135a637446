extension Array {
    /// The same elements in storage of their own count: an array grown by appends keeps up to
    /// twice the room it needs, and a province's staged values and facts are kept a whole stage.
    public func withExactCapacity() -> [Element] {
        guard capacity > count + count / 16 else { return self }
        var out: [Element] = []
        out.reserveCapacity(count)
        out.append(contentsOf: self)
        return out
    }
}
