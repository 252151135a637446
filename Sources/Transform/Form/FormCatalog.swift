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

    /// The year's form, indexed (the index is what validation builds anyway). Each file's years
    /// are read first and only the form that covers the year is read whole: every run reads the
    /// catalog, and decoding all three shipped forms cost more than the inbox scan of a rerun.
    public static func index(for year: Int, in files: [ConfigDocument]) throws(ConfigError) -> FormIndex {
        func decode<T: Decodable>(_ type: T.Type, _ file: ConfigDocument) throws(ConfigError) -> T {
            do {
                return try JSONDecoder().decode(type, from: Data(file.bytes))
            } catch {
                throw ConfigError(file: file.name, message: "无法读取表单定义：\(error)")
            }
        }
        var matches: [ConfigDocument] = []
        for file in files {
            let years = try decode(Coverage.self, file).years
            guard years.from <= years.to else {
                throw ConfigError(file: file.name, message: "years 的起始年份 \(years.from) 晚于结束年份 \(years.to)：请改正这个表单文件的 years")
            }
            if (years.from...years.to).contains(year) { matches.append(file) }
        }
        guard let first = matches.first else {
            throw ConfigError(file: "forms/", message: "没有适用于 \(year) 年的表单定义：请添加一个 years 覆盖 \(year) 的表单文件")
        }
        guard matches.count == 1 else {
            throw ConfigError(file: "forms/", message: "\(year) 年同时适用多个表单：\(matches.map { String($0.name.dropFirst("forms/".count)) }.joined(separator: "、"))，请调整它们的 years")
        }
        let index = FormIndex(try decode(Form.self, first))
        try validate(index, file: first.name)
        return index
    }

    /// The years a form file covers, read without the rest of it.
    private struct Coverage: Decodable {
        let years: Form.Years
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
