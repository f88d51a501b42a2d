namespace Blog.Web.Tests.Content;

/// <summary>
/// Small Markdown examples written for this project, each with the HTML CommonMark (and the pipeline's tables,
/// task lists and footnotes) gives for it. They keep the conformance test meaningful in any clone; the full
/// CommonMark spec, when the shared fixtures are beside the repository, is checked in addition.
/// </summary>
public static class MarkdownExamples
{
    public static IReadOnlyList<(string Markdown, string Html)> All { get; } =
    [
        ("# Kettle notes", "<h1>Kettle notes</h1>"),
        ("### Third level ###", "<h3>Third level</h3>"),
        ("#Not a heading", "<p>#Not a heading</p>"),
        ("Brewing\n=======", "<h1>Brewing</h1>"),
        ("Steeping\n--------", "<h2>Steeping</h2>"),
        ("Green tea wants\ncooler water.", "<p>Green tea wants\ncooler water.</p>"),
        ("Boil it  \nthen wait.", "<p>Boil it<br />\nthen wait.</p>"),
        ("Boil it\\\nthen wait.", "<p>Boil it<br />\nthen wait.</p>"),
        ("*oolong* and **pu-erh** and ***both***", "<p><em>oolong</em> and <strong>pu-erh</strong> and <em><strong>both</strong></em></p>"),
        ("snake_case_name stays", "<p>snake_case_name stays</p>"),
        ("a * not emphasis *", "<p>a * not emphasis *</p>"),
        ("Use `` `tick` `` inside code", "<p>Use <code>`tick`</code> inside code</p>"),
        ("```python\nprint(\"hot\")\n```", "<pre><code class=\"language-python\">print(&quot;hot&quot;)\n</code></pre>"),
        ("    indented code\n    second line", "<pre><code>indented code\nsecond line\n</code></pre>"),
        ("> A quote\ncontinued lazily", "<blockquote>\n<p>A quote\ncontinued lazily</p>\n</blockquote>"),
        ("> outer\n>> inner", "<blockquote>\n<p>outer</p>\n<blockquote>\n<p>inner</p>\n</blockquote>\n</blockquote>"),
        ("- milk\n- sugar\n  - brown\n  - white", "<ul>\n<li>milk</li>\n<li>sugar\n<ul>\n<li>brown</li>\n<li>white</li>\n</ul>\n</li>\n</ul>"),
        ("3. third\n4. fourth", "<ol start=\"3\">\n<li>third</li>\n<li>fourth</li>\n</ol>"),
        // CommonMark puts a line break between <li> and <p>; Markdig does not. Between block tags it means nothing.
        ("- loose\n\n- list", "<ul>\n<li><p>loose</p>\n</li>\n<li><p>list</p>\n</li>\n</ul>"),
        ("before\n\n***\n\nafter", "<p>before</p>\n<hr />\n<p>after</p>"),
        ("[a teapot](https://example.test/pot \"Pot\")", "<p><a href=\"https://example.test/pot\" title=\"Pot\">a teapot</a></p>"),
        ("[a cup][cup]\n\n[cup]: https://example.test/cup", "<p><a href=\"https://example.test/cup\">a cup</a></p>"),
        ("[Cup] again\n\n[cup]: /cup", "<p><a href=\"/cup\">Cup</a> again</p>"),
        ("[spaced](<https://example.test/a b>)", "<p><a href=\"https://example.test/a%20b\">spaced</a></p>"),
        ("![a saucer](https://example.test/saucer.png)", "<p><img src=\"https://example.test/saucer.png\" alt=\"a saucer\" /></p>"),
        ("<https://example.test/leaves>", "<p><a href=\"https://example.test/leaves\">https://example.test/leaves</a></p>"),
        ("\\*not emphasis\\* and \\# not a heading", "<p>*not emphasis* and # not a heading</p>"),
        ("&copy; &#35; &#x22; &nosuch;", "<p>© # &quot; &amp;nosuch;</p>"),
        ("Inline <em>html</em> stays", "<p>Inline <em>html</em> stays</p>"),
        ("<div>\nblock html\n</div>", "<div>\nblock html\n</div>"),
        ("~~not struck~~", "<p>~~not struck~~</p>"),
        ("| Tea | Minutes |\n|-----|--------:|\n| Black | 4 |", "<table>\n<thead>\n<tr>\n<th>Tea</th>\n<th style=\"text-align: right;\">Minutes</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>Black</td>\n<td style=\"text-align: right;\">4</td>\n</tr>\n</tbody>\n</table>"),
        ("- [x] boil\n- [ ] pour", "<ul class=\"contains-task-list\">\n<li class=\"task-list-item\"><span class=\"task-done\">☑</span> boil</li>\n<li class=\"task-list-item\"><span class=\"task-open\">☐</span> pour</li>\n</ul>"),
        ("Steep well.[^1]\n\n[^1]: Three minutes.", "<p>Steep well.<a id=\"fnref:1\" href=\"#fn:1\" class=\"footnote-ref\"><sup>1</sup></a></p>\n<div class=\"footnotes\">\n<hr />\n<ol>\n<li id=\"fn:1\">\n<p>Three minutes.<a href=\"#fnref:1\" class=\"footnote-back-ref\">&#8617;</a></p>\n</li>\n</ol>\n</div>"),
    ];
}
