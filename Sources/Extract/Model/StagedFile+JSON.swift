import Store

/// The staged records as the staging shards hold them.
extension StagedValue: JSONWritable {
    public func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field("label", label)
        json.field("seq", seq)
        json.field("context", context)
        json.field("unit", unit)
        json.field("value", value)
        json.field("line", line)
        json.field("column", column)
        json.field("element", element)
        json.field("columnLabel", columnLabel)
        json.field("table", table)
        json.endObject()
    }
}

extension ItemTally: JSONWritable {
    public func write(to json: inout JSONWriter) {
        json.beginObject()
        json.key("labels")
        json.beginArray()
        for l in labels {
            json.beginObject()
            json.field("label", l.label)
            json.field("count", l.count)
            json.field("firstLine", l.firstLine)
            json.endObject()
        }
        json.endArray()
        json.field("rows", rows)
        json.field("duplicates", duplicates)
        json.field("outOfYear", outOfYear)
        json.field("undated", undated)
        json.endObject()
    }
}

extension StagedFile: JSONWritable {
    public func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field("submitter", submitter)
        json.field("file", file)
        json.field("sha256", sha256)
        json.field("size", size)
        json.field("received", received)
        json.field("family", family?.rawValue)
        if let encoding { json.key("encoding"); encoding.write(to: &json) }
        json.field("declaredSubmitter", declaredSubmitter)
        json.key("values")
        json.writeArray(values)
        if let items { json.key("items"); items.write(to: &json) }
        json.key("findings")
        json.writeArray(findings)
        json.field("quarantined", quarantined)
        json.endObject()
    }
}
