/// The stable catalogue of checks. A rule's code never changes once shipped; scripts filter on it.
public enum Rule: String, Codable, Sendable, CaseIterable {
    // Files
    case fileUnreadable = "F001"
    case fileEmpty = "F002"
    case fileWrongFormat = "F003"
    case fileUnknownFolder = "F004"
    case fileSuperseded = "F006"
    case submitterMismatch = "F007"
    case entryNotFollowed = "F008"
    case nameNotUTF8 = "F009"
    case fileTooLarge = "F010"
    case fileStillWriting = "F011"
    case partSkipped = "F012"
    // Encoding
    case encodingUndecodable = "E001"
    // CSV and tables
    case csvUnterminatedQuote = "C001"
    case tableNoValueColumn = "C002"
    case tableRowSkipped = "C004"
    case tableTooLarge = "C005"
    // Item lists
    case itemsMissingColumn = "I001"
    case itemsBadDate = "I002"
    case itemsOutOfYear = "I003"
    case itemsDuplicate = "I004"
    case itemsUnknownCategory = "I005"
    case itemsMissingCategory = "I006"
    // XML
    case xmlMalformed = "X001"
    case xmlForbiddenEntity = "X002"
    case xmlUnknownLayout = "X003"
    case xmlOversizedTag = "X004"
    // Labels and values
    case labelUnknown = "L001"
    case labelAmbiguous = "L002"
    case labelDuplicate = "L003"
    case labelByStructure = "L004"
    case layoutLegacy = "L005"
    case valueNotNumber = "V001"
    case valueNotCount = "V002"
    case valueNegative = "V003"
    case valueUnitConverted = "V004"
    case valueNormalized = "V005"
    // Reconciliation
    case sumInconsistent = "R001"
    case sumIncomplete = "R002"
    case boundExceeded = "R003"
    case itemsDisagree = "R004"
    case itemsDerived = "R005"
    case submitterMissing = "R006"
    case yearOverYear = "R007"
    case totalDerived = "R008"
    case carryOverMismatch = "R009"
    // A published report's text
    case narrativeDisagrees = "N001"
    case narrativeIncomplete = "N002"
    case narrativeFees = "N003"
    case narrativeCopied = "N004"

    public var severity: Severity {
        switch self {
        case .fileUnreadable, .fileEmpty, .fileWrongFormat, .fileUnknownFolder, .fileTooLarge, .fileStillWriting, .xmlOversizedTag, .tableTooLarge,
             .encodingUndecodable, .csvUnterminatedQuote, .tableNoValueColumn, .itemsMissingColumn,
             .xmlMalformed, .xmlForbiddenEntity, .xmlUnknownLayout, .labelUnknown, .labelAmbiguous,
             .valueNotNumber, .valueNotCount, .valueNegative, .sumInconsistent, .itemsDisagree,
             .itemsUnknownCategory:
            .error
        case .submitterMismatch, .itemsBadDate, .itemsOutOfYear, .itemsDuplicate, .itemsMissingCategory,
             .labelDuplicate, .labelByStructure, .layoutLegacy, .sumIncomplete, .boundExceeded, .submitterMissing, .yearOverYear,
             .tableRowSkipped, .carryOverMismatch, .entryNotFollowed, .narrativeDisagrees, .narrativeIncomplete, .narrativeFees, .narrativeCopied:
            .warning
        case .valueUnitConverted, .valueNormalized, .itemsDerived, .totalDerived,
             .fileSuperseded, .nameNotUTF8, .partSkipped:
            .note
        }
    }

    /// A short Chinese title, used in summaries and the findings appendix.
    public var title: String {
        switch self {
        case .fileUnreadable: "文件无法读取"
        case .fileEmpty: "空文件"
        case .fileWrongFormat: "文件格式不符"
        case .fileUnknownFolder: "报送单位文件夹无法识别"
        case .fileSuperseded: "已被新版本替代"
        case .submitterMismatch: "文件内填报单位与文件夹不一致"
        case .entryNotFollowed: "链接或文件夹未读取"
        case .nameNotUTF8: "文件名不是 UTF-8 编码"
        case .fileTooLarge: "文件过大"
        case .fileStillWriting: "文件仍在写入，下次读取"
        case .partSkipped: "隐藏或外部的部分未读取"
        case .encodingUndecodable: "无法识别的字符编码"
        case .csvUnterminatedQuote: "引号未闭合"
        case .tableNoValueColumn: "找不到数值列"
        case .tableRowSkipped: "跳过的行"
        case .tableTooLarge: "表格过大"
        case .itemsMissingColumn: "目录缺少必需列"
        case .itemsBadDate: "日期无法识别"
        case .itemsOutOfYear: "条目不在报告年度内"
        case .itemsDuplicate: "重复条目"
        case .itemsUnknownCategory: "未知栏目"
        case .itemsMissingCategory: "条目缺少类别"
        case .xmlMalformed: "XML 格式错误"
        case .xmlForbiddenEntity: "XML 含禁止的实体声明"
        case .xmlUnknownLayout: "XML 结构无法识别"
        case .xmlOversizedTag: "XML 标签过大"
        case .labelUnknown: "无法识别的指标"
        case .labelAmbiguous: "指标有歧义"
        case .labelDuplicate: "指标重复填报"
        case .labelByStructure: "行名称有误，按表格结构识别"
        case .layoutLegacy: "按旧版表格格式填报"
        case .valueNotNumber: "数值无法识别"
        case .valueNotCount: "件数不是整数"
        case .valueNegative: "数值为负"
        case .valueUnitConverted: "单位已换算"
        case .valueNormalized: "数值写法已规范"
        case .sumInconsistent: "合计不符"
        case .sumIncomplete: "分项未填全"
        case .boundExceeded: "分项超过总数"
        case .itemsDisagree: "目录条数与填报数不符"
        case .itemsDerived: "按目录统计"
        case .submitterMissing: "未报送或文件都无法读取"
        case .yearOverYear: "同比变动超过一半"
        case .totalDerived: "合计按分项推算"
        case .carryOverMismatch: "与上年报送的数字衔接不上"
        case .narrativeDisagrees: "报告文字与统计表不符"
        case .narrativeIncomplete: "报告缺少内容"
        case .narrativeFees: "报告中的收费说法与统计表不符"
        case .narrativeCopied: "报告文字与上年雷同"
        }
    }
}
