import Core
import Foundation
import Store

/// Fills in a total a submitter left blank when every one of its parts is a reported figure: the
/// hard `sum` identities say what it must be. The fact is marked derived (`via` "sum") and a note
/// says so; nothing a submitter declared is ever replaced.
///
/// Runs to a fixed point, so a total that is itself a part (不同意公开答复数 under 申请答复数) is
/// derived first and can then complete its parent.
struct TotalDerivation {
    let index: FormIndex

    func derive(_ facts: inout [String: Fact], submitter: String, file: String) -> [Finding] {
        let identities = index.identities.filter { $0.kind == .sum && $0.severity == "error" }
        var out: [(base: String, finding: Finding)] = []
        var changed = true
        while changed {
            changed = false
            for identity in identities where facts[identity.total]?.value == nil {
                let parts = identity.parts.compactMap { facts[$0]?.value }
                guard parts.count == identity.parts.count else { continue }
                let sum = parts.reduce(Decimal(0), +)
                let blank = facts[identity.total]
                let ind = index[code: identity.total]
                facts[identity.total] = Fact(
                    code: identity.total, value: sum, unit: ind?.unit, derived: true, file: blank?.file ?? file,
                    line: blank?.line, raw: blank?.raw ?? "", via: Fact.viaSum)
                let label = ind?.label ?? identity.total
                let terms = identity.parts.map { "\(index[code: $0]?.label ?? $0) \(Amount.text(facts[$0]!.value!))" }
                let base = String(identity.id.prefix { $0 != "." })
                out.append((base, Finding(
                    .totalDerived, submitter: submitter, file: blank?.file ?? file, line: blank?.line,
                    message: "“\(label)”未填报，各分项均已填报，按分项之和计为 \(Amount.text(sum)) \(ind?.unit ?? "")（\(terms.joined(separator: " + "))）。",
                    expected: "", actual: Amount.text(sum))))
                changed = true
            }
        }
        // A rule written out cell by cell (the 总计 column of every row) is one note, not one a cell.
        var notes: [Finding] = []
        for (base, group) in Dictionary(grouping: out, by: \.base).sorted(by: { $0.key < $1.key }) {
            guard group.count > 1 else { notes.append(group[0].finding); continue }
            var first = group[0].finding
            let what = index.identities.first { $0.id.hasPrefix(base + ".") }?.description ?? "合计等于各分项之和"
            first.message = "\(group.count) 个合计单元格未填报，各分项均已填报，已按分项之和计入（\(what)）；例如" + first.message
            first.actual = "\(group.count)"
            notes.append(first)
        }
        return notes
    }
}
