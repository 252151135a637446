import Foundation
import Testing
@testable import Core
@testable import Report

struct ShareTests {
    @Test func roundsHalfUpToTwoPlacesAndDropsTrailingZeros() {
        #expect(Share.text(528, of: 530) == "99.62%")     // a published report printed 99.61%
        #expect(Share.text(34813, of: 55655) == "62.55%")
        #expect(Share.text(5120, of: 55655) == "9.2%")    // 9.1995 → 9.2
        #expect(Share.text(2282, of: 55655) == "4.1%")
        #expect(Share.text(14, of: 14) == "100%")
        #expect(Share.text(1, of: 0) == "—")
    }

    @Test func writesTheDateLineInChineseNumerals() {
        #expect(ChineseDate.text(iso: "2017-02-07", zero: "0") == "二0一七年二月七日")
        #expect(ChineseDate.text(iso: "2016-12-31") == "二〇一六年十二月三十一日")
        #expect(ChineseDate.text(iso: "2024-02-29") == "二〇二四年二月二十九日")
    }

    /// Only a day of the calendar is written out: a month or day no calendar has (one past 99
    /// indexed past the numerals and trapped), or another spelling, is nil and the settings say so.
    @Test func aDateNoCalendarHasIsNotWrittenOut() {
        for text in ["2022-13-01", "2022-02-29", "2023-04-31", "2022-1-123", "2022-130-01", "2022-00-10", "22-01-31",
                     "2022/01/31", "2022-01-31-", "-2022-01-31", "2022-+1-05", ""] {
            #expect(ChineseDate.text(iso: text) == nil, "\(text)")
        }
        #expect(ChineseDate.text(iso: "2022-1-5") == "二〇二二年一月五日")
    }
}
