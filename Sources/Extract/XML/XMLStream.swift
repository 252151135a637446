import Core
import Store
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

internal import CLibXML2

/// A streaming pass over an XML document through libxml2's SAX2 parser, hardened: no network,
/// no entity substitution, no DTD loading, a deny-all external entity loader, libxml2's own
/// limits on depth and text size; the pass stops at the first entity declared or referenced.
/// No tree is built: each element, text and end is handed over as the parser reads it.
final class XMLStream {
    struct Attribute {
        var name: String
        var namespace: String
        var value: String
    }

    /// A text's UTF-8 bytes (adjacent character data and CDATA joined, as one text node),
    /// valid while its event is handled: made a `String` only by a consumer that keeps it
    /// (most text of an item list is never looked at).
    struct Text {
        let bytes: UnsafeBufferPointer<UInt8>

        /// libxml2 hands over UTF-8 it has checked or converted itself.
        var string: String { String(decoding: bytes, as: UTF8.self) }
    }

    /// An element's start, valid while its event is handled: its name, namespace and attributes
    /// are made strings only when asked for.
    struct Element {
        /// Stands for the element's name and namespace for the whole pass (equal names, equal
        /// ids): what a consumer of millions of elements compares instead of strings.
        let id: Int
        let line: Int
        /// Written `<name/>`: no `.end` of its own follows.
        let isEmpty: Bool
        fileprivate unowned(unsafe) let pass: Pass
        /// libxml2's attributes: five pointers each (local name, prefix, namespace, value, end of value).
        fileprivate let raw: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
        fileprivate let count: Int

        var name: String { pass.names[id].name }
        var namespace: String { pass.names[id].namespace }

        /// The attributes as written (namespace declarations and a DTD's defaults left out).
        var attributes: [Attribute] {
            guard let raw, count > 0 else { return [] }
            return (0..<count).compactMap { k in
                let a = raw + 5 * k
                guard let value = a[3], let end = a[4] else { return nil }
                return Attribute(name: a[0].map { String(cString: $0) } ?? "", namespace: a[2].map { String(cString: $0) } ?? "",
                                 value: attributeValue(value, end))
            }
        }
    }

    enum Event {
        case start(Element)
        case text(Text)
        case end
        /// An entity declared (in a DOCTYPE) or referenced: refused, and the pass ends.
        case entity(line: Int, name: String)
    }

    struct Problem: Hashable {
        var line: Int
        var column: Int
        var message: String
        var code: Int = 0

        /// A text longer than ``XMLStream/maximumText`` (not one of libxml2's codes).
        static let hugeText = -1

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
            case Self.hugeText: "一段文字超过 \(XMLStream.maximumText / 1_000_000) MB，正常的报送文件不会如此"
            default: "不符合 XML 语法"
            }
        }
    }

    /// The longest text between two tags, as libxml2 bounds a text node (`XML_MAX_TEXT_LENGTH`).
    static let maximumText = 10_000_000

    private static let hardened: Void = {
        clx_harden()
        clx_silence_generic()
    }()

    /// Hardens libxml2 for this process (every parser here, the HTML one too, goes through it first).
    static func prepare() { _ = hardened }

    /// Where the document's bytes come from: libxml2 asks it for each chunk (never its own file
    /// loader, which would decompress a gzip file behind an .xml name).
    let source: XMLSource
    private let context: xmlParserCtxtPtr
    private var done = false

    /// `encoding` overrides the declaration (used to read GB2312/GBK declared files as GB18030).
    init?(source: XMLSource, encoding: String?) {
        _ = Self.hardened
        self.source = source
        var sax = xmlSAXHandler()
        sax.initialized = XML_SAX2_MAGIC
        sax.startElementNs = saxStart
        sax.endElementNs = saxEnd
        sax.characters = saxCharacters
        sax.ignorableWhitespace = saxCharacters
        sax.cdataBlock = saxCharacters
        sax.reference = saxReference
        sax.entityDecl = saxEntityDecl
        sax.unparsedEntityDecl = saxUnparsedEntityDecl
        sax.serror = saxError
        guard let context = xmlCreateIOParserCtxt(
            &sax, nil, xmlSourceRead, xmlSourceClose,
            Unmanaged.passUnretained(source).toOpaque(), XML_CHAR_ENCODING_NONE)
        else { return nil }
        var options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_BIG_LINES.rawValue
            | XML_PARSE_NOWARNING.rawValue)
        if let encoding {
            options |= Int32(XML_PARSE_IGNORE_ENC.rawValue)
            // Freed here: the stream is not made, so its deinit does not run.
            guard let handler = xmlFindCharEncodingHandler(encoding), xmlSwitchToEncoding(context, handler) == 0 else {
                xmlFreeParserCtxt(context)
                return nil
            }
        }
        xmlCtxtUseOptions(context, options)
        self.context = context
    }

    convenience init?(bytes: [UInt8], encoding: String?) {
        self.init(source: XMLSource(bytes: bytes), encoding: encoding)
    }

    deinit { xmlFreeParserCtxt(context) }

    /// Hands every event to `handler` until one of its methods returns false or the document
    /// ends (once: a stream is one pass). The callbacks call the handler's methods: no closure
    /// call or event value per node. Returns the errors libxml2 reported; a failed read with no
    /// reported error is an encoding or I/O failure.
    func run<H: XMLHandler>(_ handler: inout H) -> [Problem] {
        precondition(!done, "an XMLStream is read once")
        done = true
        // The callbacks' `ctx`, unretained: the pass lives to the end of this parse.
        let pass = Handling(context: context, handler: handler)
        context.pointee.userData = Unmanaged.passUnretained(pass).toOpaque()
        xmlParseDocument(context)
        pass.flushText()
        context.pointee.userData = nil
        handler = pass.handler
        if !pass.stopped && context.pointee.wellFormed == 0 && pass.problems.isEmpty {
            return [Problem(line: 0, column: 0, message: "读取中断：编码转换失败或文件不完整")]
        }
        return pass.problems
    }

    /// Hands every event to `handle` until it returns false or the document ends: for small
    /// documents (an Office part), where a value per event costs nothing worth saving.
    func run(_ handle: (Event) -> Bool) -> [Problem] {
        withoutActuallyEscaping(handle) { handle in
            var events = EventHandler(handle: handle)
            return run(&events)
        }
    }

    /// ``run(_:)-(Event)`` as a handler: each call made an ``Event``.
    private struct EventHandler: XMLHandler {
        let handle: (Event) -> Bool
        func start(_ element: Element) -> Bool { handle(.start(element)) }
        func text(_ text: Text) -> Bool { handle(.text(text)) }
        func end() -> Bool { handle(.end) }
        func entity(line: Int, name: String) { _ = handle(.entity(line: line, name: name)) }
    }

    /// What the parser's callbacks share for one pass (their `ctx`); ``Handling`` adds the
    /// handler, and the callbacks reach it through these overridable methods.
    ///
    /// Its state is touched only by the parser's thread, one callback at a time: the run-time
    /// exclusivity checks are left out (`@exclusivity(unchecked)`) of these tens of millions of calls.
    fileprivate class Pass {
        let context: xmlParserCtxtPtr
        @exclusivity(unchecked) var problems: [Problem] = []
        @exclusivity(unchecked) private(set) var stopped = false
        /// Character data not yet handed over: a text node can come in several calls.
        @exclusivity(unchecked) private var pending: [UInt8] = []
        /// The element just started was written `<name/>`: its end, called next, is not an event.
        @exclusivity(unchecked) var endOfEmpty = false
        /// Each (name, namespace) seen, its index the ``Element/id``. The parser keeps each name
        /// once in its dictionary for its whole life, so a pair of addresses stands for one name,
        /// and a file of millions of elements makes a `String` of each of its few names once.
        @exclusivity(unchecked) private(set) var names: [(local: UnsafePointer<xmlChar>, uri: UnsafePointer<xmlChar>?, name: String, namespace: String)] = []
        /// The names past the first few, by address (a document has a handful: a short list
        /// searched by address beats hashing).
        @exclusivity(unchecked) private var more: [NameKey: Int] = [:]
        private static let listed = 32

        private struct NameKey: Hashable {
            var local: UnsafePointer<xmlChar>
            var uri: UnsafePointer<xmlChar>?
        }

        init(context: xmlParserCtxtPtr) {
            self.context = context
        }

        // The handler's events (see ``XMLHandler``).
        func start(_ element: Element) -> Bool { true }
        func text(_ text: Text) -> Bool { true }
        func end() -> Bool { true }
        func entity(line: Int, name: String) {}

        /// The line the parser has read to.
        var line: Int { Int(context.pointee.input.pointee.line) }

        /// Whether the start tag just parsed ends in "/>" (the parser stands on its "/").
        var atEmptyTagEnd: Bool { context.pointee.input.pointee.cur?.pointee == 0x2F }

        /// Hands an event over (`go` calls the handler) unless the pass has stopped; stops it
        /// when the handler says so.
        @inline(__always)
        func deliver(_ go: () -> Bool) {
            guard !stopped else { return }
            if !go() { stop() }
        }

        func stop() {
            guard !stopped else { return }
            stopped = true
            xmlStopParser(context)
        }

        func append(_ bytes: UnsafePointer<xmlChar>, _ count: Int) {
            guard !stopped else { return }
            // libxml2 bounds a text node it builds; handed over in pieces, this one is bounded here.
            guard pending.count + count <= XMLStream.maximumText else {
                problems.append(Problem(line: line, column: 0, message: "text node larger than \(XMLStream.maximumText) bytes",
                                        code: Problem.hugeText))
                stop()
                return
            }
            pending.append(contentsOf: UnsafeBufferPointer(start: bytes, count: count))
        }

        func flushText() {
            guard !pending.isEmpty else { return }
            pending.withUnsafeBufferPointer { bytes in deliver { text(Text(bytes: bytes)) } }
            pending.removeAll(keepingCapacity: true)
        }

        func id(_ local: UnsafePointer<xmlChar>, _ uri: UnsafePointer<xmlChar>?) -> Int {
            let listed = min(names.count, Self.listed)
            for k in 0..<listed where names[k].local == local && names[k].uri == uri { return k }
            if names.count > listed, let k = more[NameKey(local: local, uri: uri)] { return k }
            if names.count >= Self.listed { more[NameKey(local: local, uri: uri)] = names.count }
            names.append((local, uri, String(cString: local), uri.map { String(cString: $0) } ?? ""))
            return names.count - 1
        }
    }

    /// A pass with its handler.
    fileprivate final class Handling<H: XMLHandler>: Pass {
        @exclusivity(unchecked) var handler: H

        init(context: xmlParserCtxtPtr, handler: H) {
            self.handler = handler
            super.init(context: context)
        }

        override func start(_ element: Element) -> Bool { handler.start(element) }
        override func text(_ text: Text) -> Bool { handler.text(text) }
        override func end() -> Bool { handler.end() }
        override func entity(line: Int, name: String) { handler.entity(line: line, name: name) }
    }
}

/// What an ``XMLStream`` pass hands its events to, in document order. A method that returns
/// false ends the pass.
protocol XMLHandler {
    /// An element starts (one written `<name/>` has no ``end()`` of its own: see ``XMLStream/Element/isEmpty``).
    mutating func start(_ element: XMLStream.Element) -> Bool
    /// The text up to the next element, its start or end (character data and CDATA joined).
    mutating func text(_ text: XMLStream.Text) -> Bool
    /// The element last started ends.
    mutating func end() -> Bool
    /// An entity declared (in a DOCTYPE) or referenced: refused; the pass ends after this.
    mutating func entity(line: Int, name: String)
}

/// An attribute's value as SAX2 hands it over without entity substitution: the text between
/// `start` and `end`, where libxml2 has written an escaped "&" (`&amp;`, `&#38;`) as "&#38;".
private func attributeValue(_ start: UnsafePointer<xmlChar>, _ end: UnsafePointer<xmlChar>) -> String {
    let raw = UnsafeBufferPointer(start: start, count: end - start)
    guard raw.contains(0x26) else { return String(decoding: raw, as: UTF8.self) }
    let escaped: [UInt8] = Array("&#38;".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(raw.count)
    var i = 0
    while i < raw.count {
        if raw[i] == 0x26, raw.count - i >= escaped.count, escaped.elementsEqual(raw[i..<(i + escaped.count)]) {
            out.append(0x26)
            i += escaped.count
        } else {
            out.append(raw[i])
            i += 1
        }
    }
    return String(decoding: out, as: UTF8.self)
}

/// Runs `body` with the pass a callback's `ctx` stands for, without retaining it (`run` holds
/// it for the whole parse).
private func withPass<R>(_ ctx: UnsafeMutableRawPointer?, _ body: (XMLStream.Pass) -> R) -> R {
    Unmanaged<XMLStream.Pass>.fromOpaque(ctx!)._withUnsafeGuaranteedRef(body)
}

private func saxStart(_ ctx: UnsafeMutableRawPointer?, _ localname: UnsafePointer<xmlChar>?, _ prefix: UnsafePointer<xmlChar>?,
                      _ uri: UnsafePointer<xmlChar>?, _ namespaceCount: Int32, _ namespaces: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?,
                      _ attributeCount: Int32, _ defaulted: Int32, _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) {
    guard let localname else { return }
    withPass(ctx) { p in
        p.flushText()
        let empty = p.atEmptyTagEnd
        p.endOfEmpty = empty
        // Defaulted attributes (from a DTD) come last: not written in the document.
        let element = XMLStream.Element(id: p.id(localname, uri), line: p.line, isEmpty: empty, pass: p,
                                        raw: attributes, count: max(0, Int(attributeCount - defaulted)))
        p.deliver { p.start(element) }
    }
}

private func saxEnd(_ ctx: UnsafeMutableRawPointer?, _ localname: UnsafePointer<xmlChar>?, _ prefix: UnsafePointer<xmlChar>?, _ uri: UnsafePointer<xmlChar>?) {
    withPass(ctx) { p in
        p.flushText()
        if p.endOfEmpty {
            p.endOfEmpty = false
            return
        }
        p.deliver { p.end() }
    }
}

private func saxCharacters(_ ctx: UnsafeMutableRawPointer?, _ bytes: UnsafePointer<xmlChar>?, _ count: Int32) {
    guard let bytes, count > 0 else { return }
    withPass(ctx) { p in
        p.endOfEmpty = false
        p.append(bytes, Int(count))
    }
}

private func saxReference(_ ctx: UnsafeMutableRawPointer?, _ name: UnsafePointer<xmlChar>?) {
    withPass(ctx) { p in
        p.flushText()
        // The handler hears of it (unless the pass has already stopped), and the pass ends.
        p.deliver {
            p.entity(line: p.line, name: name.map { String(cString: $0) } ?? "")
            return false
        }
    }
}

private func saxEntityDecl(_ ctx: UnsafeMutableRawPointer?, _ name: UnsafePointer<xmlChar>?, _ type: Int32,
                           _ publicID: UnsafePointer<xmlChar>?, _ systemID: UnsafePointer<xmlChar>?, _ content: UnsafeMutablePointer<xmlChar>?) {
    saxReference(ctx, name)
}

private func saxUnparsedEntityDecl(_ ctx: UnsafeMutableRawPointer?, _ name: UnsafePointer<xmlChar>?, _ publicID: UnsafePointer<xmlChar>?,
                                   _ systemID: UnsafePointer<xmlChar>?, _ notation: UnsafePointer<xmlChar>?) {
    saxReference(ctx, name)
}

/// libxml2 calls this for every error of a pass.
private func saxError(_ ctx: UnsafeMutableRawPointer?, _ error: xmlErrorPtr?) {
    guard ctx != nil, let e = error?.pointee else { return }
    withPass(ctx) { p in
        guard e.level.rawValue >= XML_ERR_ERROR.rawValue, p.problems.count < 20 else { return }
        var message = e.message.map { String(cString: $0) } ?? ""
        while message.last?.isWhitespace == true { message.removeLast() }
        p.problems.append(XMLStream.Problem(line: Int(e.line), column: Int(e.int2), message: message, code: Int(e.code)))
    }
}

/// libxml2 asks for the next chunk of a document; `context` is its ``XMLSource``.
private func xmlSourceRead(_ context: UnsafeMutableRawPointer?, _ buffer: UnsafeMutablePointer<CChar>?, _ length: Int32) -> Int32 {
    guard let context, let buffer, length > 0 else { return -1 }
    return Unmanaged<XMLSource>.fromOpaque(context).takeUnretainedValue().read(into: UnsafeMutableRawBufferPointer(start: buffer, count: Int(length)))
}

private func xmlSourceClose(_ context: UnsafeMutableRawPointer?) -> Int32 { 0 }
