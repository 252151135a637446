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

    @Test func refusesImpossibleDates() {
        #expect(ItemDate("2016-02-30") == nil)
        #expect(ItemDate("明天") == nil)
        #expect(ItemDate("") == nil)
    }
}
