import GlossCore
import Testing

@Suite("Guidelines") struct GuidelinesTests {
    @Test func rawHTMLIsShownAsTextAndScriptLinksAreDropped() {
        let html = Guidelines.html(fromMarkdown: "Hi <script>alert(3)</script> [x](javascript:alert(4)) <a href=\"javascript:alert(5)\">y</a>")
        print(html)
        #expect(!html.contains("<script"))
        #expect(!html.contains("href=\"javascript"))
        #expect(html.contains("&lt;script&gt;"))
    }
}

@Suite("HTML escaping") struct HTMLEscapingTests {
    @Test func escapesTheFiveCharactersAndKeepsEverythingElse() {
        #expect("<a href=\"x\">Tom & Jerry's</a>".htmlEscaped == "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;")
        #expect("e\u{301} 👍🏽 中文".htmlEscaped == "e\u{301} 👍🏽 中文")
        #expect("".htmlEscaped == "")
    }
}
