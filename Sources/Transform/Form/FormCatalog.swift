import Core
import Foundation

/// The forms in `config/forms/`: the one whose years cover a report year is that year's form.
public enum FormCatalog {
    public static func form(for year: Int, in directory: URL) throws(ConfigError) -> Form {
        try index(for: year, in: directory).form
    }

    /// The year's form, indexed (the index is what validation builds anyway).
    public static func index(for year: Int, in directory: URL) throws(ConfigError) -> FormIndex {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasSuffix(".json") }.sorted()
        var matches: [(String, Form)] = []
        for name in files {
            let form: Form
            do {
                form = try JSONDecoder().decode(Form.self, from: Data(contentsOf: directory.appendingPathComponent(name)))
            } catch {
                throw ConfigError(file: "forms/\(name)", message: "无法读取表单定义：\(error)")
            }
            if (form.years.from...form.years.to).contains(year) { matches.append((name, form)) }
        }
        guard let first = matches.first else {
            throw ConfigError(file: "forms/", message: "没有适用于 \(year) 年的表单定义：请添加一个 years 覆盖 \(year) 的表单文件")
        }
        guard matches.count == 1 else {
            throw ConfigError(file: "forms/", message: "\(year) 年同时适用多个表单：\(matches.map(\.0).joined(separator: "、"))，请调整它们的 years")
        }
        let index = FormIndex(first.1)
        try validate(index, file: "forms/\(first.0)")
        return index
    }

    /// Every parent, identity term and category is an indicator of the form; codes are unique.
    static func validate(_ index: FormIndex, file: String) throws(ConfigError) {
        let form = index.form
        var seen = Set<String>()
        for ind in index.indicators {
            guard seen.insert(ind.code).inserted else { throw ConfigError(file: file, message: "指标代码 \(ind.code) 重复") }
        }
        for ind in index.indicators {
            if let p = ind.parent, !seen.contains(p) { throw ConfigError(file: file, message: "\(ind.code) 的上级 \(p) 不存在") }
        }
        for id in index.identities {
            for c in [id.total] + id.parts + (id.right ?? []) where !seen.contains(c) {
                throw ConfigError(file: file, message: "勾稽关系 \(id.id) 引用了不存在的指标 \(c)")
            }
        }
        if let cats = form.categories {
            for c in [cats.total] + cats.parts where !seen.contains(c) {
                throw ConfigError(file: file, message: "内容类别引用了不存在的指标 \(c)")
            }
        }
    }
}
