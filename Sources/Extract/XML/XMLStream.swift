import Core
import Store
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

internal import CLibXML2

/// A streaming pass over an XML file through libxml2's xmlTextReader, hardened: no network, no
/// entity substitution, no DTD loading, a deny-all external entity loader, libxml2's own limits
/// on depth and text size.
final class XMLStream {
    struct Attribute {
        var name: String
        var namespace: String
        var value: String
    }

    /// A text node's value, valid while its event is handled: made a `String` only by a
    /// consumer that keeps it (most text of an item list is never looked at).
    struct Text {
        fileprivate let pointer: UnsafePointer<xmlChar>?

        var string: String { pointer.map { String(cString: $0) } ?? "" }
    }

    enum Event {
        case start(name: String, namespace: String, attributes: [Attribute], line: Int, isEmpty: Bool)
        case text(Text)
        case end
        /// A DOCTYPE that declares entities, or a reference to one: refused.
        case entity(line: Int, name: String)
    }

    struct Problem: Hashable {
        var line: Int
        var column: Int
        var message: String
        var code: Int = 0

        /// What went wrong, in words a clerk reads; libxml2's own message stays beside it.
        var explanation: String {
            switch code {
            case 4: "文件没有 XML 内容"
            case 5: "根元素结束之后还有多余的内容"
            case 9, 81: "含有 XML 不允许的字符"
            case 26, 27: "引用了未声明的实体"
            case 38: "属性值中含有“<”"
            case 39, 40, 41: "属性的写法不正确"
            case 68: "缺少元素名"
            case 73: "缺少“>”"
            case 76: "开始标签和结束标签不一致"
            case 77: "标签没有结束（文件可能被截断）"
            default: "不符合 XML 语法"
            }
        }
    }

    /// Collects libxml2's structured errors for one reader.
    final class ErrorSink {
        var problems: [Problem] = []
    }

    private static let hardened: Void = {
        clx_harden()
        clx_silence_generic()
    }()

    /// Hardens libxml2 for this process (every parser here, the HTML one too, goes through it first).
    static func prepare() { _ = hardened }

    private let reader: xmlTextReaderPtr
    private let sink = ErrorSink()
    /// Where the document's bytes come from: libxml2 asks it for each chunk (never its own file
    /// loader, which would decompress a gzip file behind an .xml name).
    let source: XMLSource

    /// `encoding` overrides the declaration (used to read GB2312/GBK declared files as GB18030).
    init?(source: XMLSource, encoding: String?) {
        _ = Self.hardened
        var options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_BIG_LINES.rawValue
            | XML_PARSE_NOWARNING.rawValue)
        if encoding != nil { options |= Int32(XML_PARSE_IGNORE_ENC.rawValue) }
        self.source = source
        guard let r = xmlReaderForIO(xmlSourceRead, xmlSourceClose, Unmanaged.passUnretained(source).toOpaque(), nil, encoding, options) else {
            return nil
        }
        reader = r
        xmlTextReaderSetStructuredErrorHandler(r, xmlStreamOnError, Unmanaged.passUnretained(sink).toOpaque())
    }

    convenience init?(bytes: [UInt8], encoding: String?) {
        self.init(source: XMLSource(bytes: bytes), encoding: encoding)
    }

    deinit { xmlFreeTextReader(reader) }

    /// Reads to the end or until `handle` returns false. Returns the errors libxml2 reported; a
    /// failed read with no reported error is an encoding or I/O failure.
    func run(_ handle: (Event) -> Bool) -> [Problem] {
        while true {
            let status = xmlTextReaderRead(reader)
            if status == 0 { break }
            if status < 0 {
                if sink.problems.isEmpty {
                    sink.problems.append(Problem(line: 0, column: 0, message: "读取中断：编码转换失败或文件不完整"))
                }
                break
            }
            let type = xmlTextReaderNodeType(reader)
            let event: Event?
            switch UInt32(type) {
            case XML_READER_TYPE_ELEMENT.rawValue:
                let node = xmlTextReaderCurrentNode(reader)
                let line = Int(xmlGetLineNo(node))
                let name = interned(xmlTextReaderConstLocalName(reader))
                let ns = interned(xmlTextReaderConstNamespaceUri(reader))
                let empty = xmlTextReaderIsEmptyElement(reader) == 1
                var attributes: [Attribute] = []
                if xmlTextReaderHasAttributes(reader) == 1 {
                    while xmlTextReaderMoveToNextAttribute(reader) == 1 {
                        if xmlTextReaderIsNamespaceDecl(reader) == 1 { continue }
                        attributes.append(Attribute(
                            name: string(xmlTextReaderConstLocalName(reader)),
                            namespace: string(xmlTextReaderConstNamespaceUri(reader)),
                            value: string(xmlTextReaderConstValue(reader))))
                    }
                    xmlTextReaderMoveToElement(reader)
                }
                event = .start(name: name, namespace: ns, attributes: attributes, line: line, isEmpty: empty)
            case XML_READER_TYPE_TEXT.rawValue, XML_READER_TYPE_CDATA.rawValue, XML_READER_TYPE_SIGNIFICANT_WHITESPACE.rawValue:
                event = .text(Text(pointer: xmlTextReaderConstValue(reader)))
            case XML_READER_TYPE_END_ELEMENT.rawValue:
                event = .end
            case XML_READER_TYPE_ENTITY_REFERENCE.rawValue:
                event = .entity(line: Int(xmlGetLineNo(xmlTextReaderCurrentNode(reader))), name: string(xmlTextReaderConstName(reader)))
            case XML_READER_TYPE_DOCUMENT_TYPE.rawValue:
                // A DOCTYPE node has no line of its own: the parser has just read past it.
                let line = Int(xmlTextReaderGetParserLineNumber(reader))
                event = declaredEntity().map { .entity(line: max(1, line), name: $0.name) }
            default:
                event = nil
            }
            if let event, !handle(event) { break }
        }
        return sink.problems
    }

    /// The first entity the DOCTYPE's internal subset declares, if any.
    private func declaredEntity() -> (line: Int, name: String)? {
        guard let node = xmlTextReaderCurrentNode(reader) else { return nil }
        var child = node.pointee.children
        while let c = child {
            if c.pointee.type == XML_ENTITY_DECL {
                return (Int(xmlGetLineNo(node)), c.pointee.name.map { String(cString: $0) } ?? "")
            }
            child = c.pointee.next
        }
        return nil
    }

    private func string(_ p: UnsafePointer<xmlChar>?) -> String {
        guard let p else { return "" }
        return String(cString: p)
    }

    /// Element and namespace names by the address of libxml2's copy: the reader keeps each name
    /// once in its dictionary for its whole life, so an address stands for one name, and a file
    /// of millions of elements makes a `String` of each of its few names once.
    /// A document has a handful of names: a short list searched by address beats hashing.
    private var names: [(UnsafePointer<xmlChar>, String)] = []

    private func interned(_ p: UnsafePointer<xmlChar>?) -> String {
        guard let p else { return "" }
        for (known, name) in names where known == p { return name }
        let s = String(cString: p)
        // A document of many distinct names (none seen) reads the rest without the list.
        if names.count < 64 { names.append((p, s)) }
        return s
    }
}

/// libxml2 calls this for every error of a reader; `context` is the reader's ``XMLStream/ErrorSink``.
func xmlStreamOnError(_ context: UnsafeMutableRawPointer?, _ error: xmlErrorPtr?) {
    guard let context, let e = error?.pointee else { return }
    let sink = Unmanaged<XMLStream.ErrorSink>.fromOpaque(context).takeUnretainedValue()
    guard e.level.rawValue >= XML_ERR_ERROR.rawValue, sink.problems.count < 20 else { return }
    var message = e.message.map { String(cString: $0) } ?? ""
    while message.last?.isWhitespace == true { message.removeLast() }
    sink.problems.append(XMLStream.Problem(line: Int(e.line), column: Int(e.int2), message: message, code: Int(e.code)))
}

/// libxml2 asks for the next chunk of a document; `context` is its ``XMLSource``.
private func xmlSourceRead(_ context: UnsafeMutableRawPointer?, _ buffer: UnsafeMutablePointer<CChar>?, _ length: Int32) -> Int32 {
    guard let context, let buffer, length > 0 else { return -1 }
    return Unmanaged<XMLSource>.fromOpaque(context).takeUnretainedValue().read(into: UnsafeMutableRawBufferPointer(start: buffer, count: Int(length)))
}

private func xmlSourceClose(_ context: UnsafeMutableRawPointer?) -> Int32 { 0 }
