import Testing
@testable import Extract

/// The SAX pass every XML file and Office part goes through: what it hands over, element by element.
struct XMLStreamTests {
    /// Each event as text: "+name" (with "/" when written empty, and the line), "t:text", "-".
    func events(_ xml: String, stopAfter: Int = .max) -> (events: [String], problems: [XMLStream.Problem], ids: [String: Set<Int>]) {
        let stream = XMLStream(bytes: Array(xml.utf8), encoding: nil)!
        var out: [String] = []
        var ids: [String: Set<Int>] = [:]
        let problems = stream.run { event in
            switch event {
            case .start(let e):
                let attributes = e.attributes.map { " \($0.name)=\($0.value)" }.joined()
                out.append("+\(e.name)\(e.isEmpty ? "/" : "")@\(e.line)\(attributes)")
                ids["{\(e.namespace)}\(e.name)", default: []].insert(e.id)
            case .text(let t): out.append("t:" + t.string)
            case .end: out.append("-")
            case .entity(let line, let name): out.append("entity \(name)@\(line)")
            }
            return out.count < stopAfter
        }
        return (out, problems, ids)
    }

    @Test func anElementWrittenEmptyHasNoEndOfItsOwnAndOneWrittenOpenHasOne() {
        let r = events("<a><b/><c></c><d x=\"1\" /></a>")
        #expect(r.events == ["+a@1", "+b/@1", "+c@1", "-", "+d/@1 x=1", "-"])
        #expect(r.problems.isEmpty)
    }

    @Test func textSplitByCDATAEntitiesAndCharacterReferencesIsOneText() {
        let r = events("<a>关于&amp;<![CDATA[<通知>]]>&#x4E00;&lt;b&gt;<b>x</b>尾</a>")
        #expect(r.events == ["+a@1", "t:关于&<通知>一<b>", "+b@1", "t:x", "-", "t:尾", "-"])
    }

    @Test func attributeValuesAreDecodedOnceWhateverTheEscape() {
        // SAX2 without entity substitution hands "&amp;" and "&#38;" over as "&#38;": each is one "&".
        let r = events("<a name=\"收到&amp;申请&#38;数 &lt;x&gt; &#38;#38; &quot;\" plain=\"无\"/>")
        #expect(r.events == ["+a/@1 name=收到&申请&数 <x> &#38; \" plain=无"])
    }

    @Test func linesAreWhereEachStartTagEnds() {
        let r = events("<?xml version=\"1.0\"?>\n<a>\n  <b\n     x=\"1\">t</b>\n<c/></a>")
        #expect(r.events == ["+a@2", "t:\n  ", "+b@4 x=1", "t:t", "-", "t:\n", "+c/@5", "-"])
    }

    @Test func aNameHasOneIdForThePassEvenPastTheFirstFewNames() {
        let names = (0..<40).map { "n\($0)" }
        let body = (names + names).map { "<\($0)/>" }.joined()
        let r = events("<root xmlns:p=\"urn:p\">\(body)<p:n1/><n1/></root>")
        #expect(r.problems.isEmpty)
        for n in names { #expect(r.ids["{}\(n)"]?.count == 1, "\(n)") }
        // The same local name in another namespace is another name.
        let plain = r.ids["{}n1"]?.first, other = r.ids["{urn:p}n1"]?.first
        #expect(plain != nil && other != nil && plain != other)
        #expect(Set(r.ids.values.flatMap { $0 }).count == 42)
    }

    @Test func aHandlerThatSaysStopEndsThePass() {
        let r = events("<a><b/><c/><d/></a>", stopAfter: 2)
        #expect(r.events == ["+a@1", "+b/@1"])
        #expect(r.problems.isEmpty)
    }

    @Test func anEntityDeclaredInTheDoctypeEndsThePassAtItsDeclaration() {
        let r = events("<?xml version=\"1.0\"?>\n<!DOCTYPE a [\n<!ENTITY e \"x\">\n]>\n<a>&e;</a>")
        #expect(r.events == ["entity e@3"])
    }

    @Test func anUndeclaredEntityIsAProblemWithItsLine() {
        let r = events("<a>\n&nope;</a>")
        #expect(r.problems.first?.line == 2)
        #expect(r.problems.first?.code == 26)
    }

    @Test func aDocumentCutShortIsAProblemAtItsEnd() {
        let r = events("<a>\n<b>x</b>\n<c>")
        #expect(r.events == ["+a@1", "t:\n", "+b@2", "t:x", "-", "t:\n", "+c@3"])
        #expect(r.problems.map(\.code) == [77])
        #expect(r.problems.first?.line == 3)
    }

    @Test func aTextLongerThanLibxml2WouldBuildEndsThePassAsAProblem() {
        let piece = String(repeating: "文", count: 100_000) + "<![CDATA[]]>"
        let r = events("<a>\n<b>x</b>\(String(repeating: piece, count: 40))</a>")
        #expect(r.problems.map(\.code) == [XMLStream.Problem.hugeText])
        #expect(r.problems.first?.explanation == "一段文字超过 10 MB，正常的报送文件不会如此")
        #expect(r.events == ["+a@1", "t:\n", "+b@2", "t:x", "-"])
    }
}
