import Core
import Foundation
import Store

/// The forms in `config/forms/`: the one whose years cover a report year is that year's form.
public enum FormCatalog {
    public static func form(for year: Int, in files: [ConfigDocument]) throws(ConfigError) -> Form {
        try index(for: year, in: files).form
    }

    /// The year's form among the workspace's, indexed.
    public static func index(for year: Int, in layout: WorkspaceLayout) throws(ConfigError) -> FormIndex {
        try index(for: year, in: layout.configFiles(in: WorkspaceLayout.Config.forms, suffix: ".json"))
    }

    /// The year's form, indexed (the index is what validation builds anyway).
    public static func index(for year: Int, in files: [ConfigDocument]) throws(ConfigError) -> FormIndex {
        var matches: [(String, Form)] = []
        for file in files {
            let form: Form
            do {
                form = try JSONDecoder().decode(Form.self, from: Data(file.bytes))
            } catch {
                throw ConfigError(file: file.name, message: "无法读取表单定义：\(error)")
            }
            if (form.years.from...form.years.to).contains(year) { matches.append((file.name, form)) }
        }
        guard let first = matches.first else {
            throw ConfigError(file: "forms/", message: "没有适用于 \(year) 年的表单定义：请添加一个 years 覆盖 \(year) 的表单文件")
        }
        guard matches.count == 1 else {
            throw ConfigError(file: "forms/", message: "\(year) 年同时适用多个表单：\(matches.map { String($0.0.dropFirst("forms/".count)) }.joined(separator: "、"))，请调整它们的 years")
        }
        let index = FormIndex(first.1)
        try validate(index, file: first.0)
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
