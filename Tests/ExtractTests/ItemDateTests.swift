import Foundation
import Testing
@testable import Extract

struct ItemDateTests {
    @Test(arguments: ["2016-03-05", "2016/3/5", "2016.03.05", "2016年3月5日", "20160305", "42434", "42434.4166666667", "Sat, 05 Mar 2016 10:00:00 +0800", "2016-03-05 10:22:01"])
    func readsEveryFormatOfTheSpec(_ raw: String) {
        #expect(ItemDate(raw) == ItemDate(checked: 2016, 3, 5))
        // The byte-level path of the item-list readers agrees with the text parser.
        var text = raw
        #expect(text.withUTF8 { ItemDate(utf8: $0) } == ItemDate(checked: 2016, 3, 5))
    }

    @Test(arguments: ["2016.3", "12345.6", "2016-13-01", "42434.", "４２４３４"])
    func bothPathsAgreeOnTheOddOnes(_ raw: String) {
        var text = raw
        #expect(text.withUTF8 { ItemDate(utf8: $0) } == ItemDate(raw))
    }

    /// Excel's serial days from its first day to the last year a date may have: each serial is
    /// the calendar day after the one before, across every leap year and century, and the
    /// fictitious 1900-02-29 (serial 60) is no date.
    @Test func everyExcelSerialIsTheDayAfterTheOneBefore() {
        #expect(ItemDate(excelSerial: 1) == ItemDate(checked: 1900, 1, 1))
        #expect(ItemDate(excelSerial: 59) == ItemDate(checked: 1900, 2, 28))
        #expect(ItemDate(excelSerial: 60) == nil)
        #expect(ItemDate(excelSerial: 61) == ItemDate(checked: 1900, 3, 1))
        #expect(ItemDate(excelSerial: 36_585) == ItemDate(checked: 2000, 2, 29))
        #expect(ItemDate(excelSerial: 42_434) == ItemDate(checked: 2016, 3, 5))
        var previous = ItemDate(checked: 1900, 3, 1)!
        var serial = 62
        while let date = ItemDate(excelSerial: serial) {
            let next = ItemDate(checked: previous.year, previous.month, previous.day + 1)
                ?? ItemDate(checked: previous.year, previous.month + 1, 1) ?? ItemDate(checked: previous.year + 1, 1, 1)
            if date != next {
                Issue.record("serial \(serial): \(date), expected \(String(describing: next))")
                return
            }
            previous = date
            serial += 1
        }
        #expect(previous == ItemDate(checked: 2999, 12, 31))
    }

    @Test func refusesImpossibleDates() {
        #expect(ItemDate("2016-02-30") == nil)
        #expect(ItemDate("明天") == nil)
        #expect(ItemDate("") == nil)
    }
}
