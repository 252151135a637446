import Testing
@testable import Extract

/// A cell's stored form read as Excel shows it.
struct WorkbookCellTests {
    @Test func readsANumberAsWrittenWithoutTheDigitsOfItsBinaryForm() {
        #expect(Workbook.number("14.51") == "14.51")
        #expect(Workbook.number("14.509999999999998") == "14.51")
        #expect(Workbook.number("1.4999999999999998") == "1.5")
        #expect(Workbook.number("55655") == "55655")
        #expect(Workbook.number("1E-3") == "0.001")
    }

    @Test func readsADateSerialByItsStyleIncludingExcelsLeapYearThatNeverWas() {
        #expect(Workbook.excelDate("42434", date1904: false) == "2016-03-05")
        #expect(Workbook.excelDate("59", date1904: false) == "1900-02-28")
        #expect(Workbook.excelDate("61", date1904: false) == "1900-03-01")
        #expect(Workbook.excelDate("42434.5", date1904: false) == "2016-03-05 12:00:00")
        #expect(Workbook.excelDate("40972", date1904: true) == "2016-03-05")
    }

    @Test func tellsADateFormatFromOneThatOnlyQuotesLetters() {
        #expect(Workbook.isDateFormat("yyyy\"年\"m\"月\"d\"日\""))
        #expect(Workbook.isDateFormat("[$-F800]dddd, mmmm dd, yyyy"))
        #expect(!Workbook.isDateFormat("0.00_ "))
        #expect(!Workbook.isDateFormat("[Red]#,##0"))
        #expect(!Workbook.isDateFormat("\"days\" 0"))
    }

    @Test func namesColumnsAsExcelDoes() {
        #expect(Workbook.columnIndex("C14") == 3)
        #expect(Workbook.columnIndex("AB2") == 28)
        #expect(Workbook.columnName(28) == "AB")
        #expect(Workbook.columnName(3) == "C")
        #expect(Workbook.columnIndex("XFD1048576") == 16_384, "Excel's last column")
        #expect(Workbook.columnIndex("XFE1") == nil, "past it: no cell of any workbook")
        #expect(Workbook.columnIndex(String(repeating: "Z", count: 40) + "1") == nil, "and no overflow on the way")
    }
}
