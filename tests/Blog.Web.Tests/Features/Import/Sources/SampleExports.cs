namespace Blog.Web.Tests.Features.Import.Sources;

/// <summary>Small exports in each format, written for these tests with the shapes the real ones have.</summary>
public static class SampleExports
{
    public const string BlogId = "4242";

    private const string Kind = "http://schemas.google.com/g/2005#kind";
    private const string KindOf = "http://schemas.google.com/blogger/2008/kind#";

    /// <summary>
    /// A classic Blogger export: settings, a template, a published post with labels and a jump break, a draft, a page,
    /// a comment and a reply to it.
    /// </summary>
    public static string BloggerClassic() => $"""
        <?xml version='1.0' encoding='UTF-8'?>
        <feed xmlns='http://www.w3.org/2005/Atom' xmlns:thr='http://purl.org/syndication/thread/1.0' xmlns:app='http://purl.org/atom/app#'>
          <id>tag:blogger.com,1999:blog-{BlogId}.archive</id>
          <title type='text'>Field Notes</title>
          <link rel='alternate' type='text/html' href='https://notes.example.org/'/>
          <link rel='http://schemas.google.com/g/2005#feed' type='application/atom+xml' href='https://fieldnotes.blogspot.com/feeds/archive'/>
          <generator version='7.00' uri='http://www.blogger.com'>Blogger</generator>
          <entry>
            <id>tag:blogger.com,1999:blog-{BlogId}.settings.BLOG_NAME</id>
            <category scheme='{Kind}' term='{KindOf}settings'/>
            <title type='text'>Blog name</title>
            <content type='text'>Field Notes</content>
          </entry>
          <entry>
            <id>tag:blogger.com,1999:blog-{BlogId}.layout</id>
            <category scheme='{Kind}' term='{KindOf}template'/>
            <title type='text'>Template</title>
            <content type='html'>&lt;html&gt;&lt;/html&gt;</content>
          </entry>
          <entry>
            <id>tag:blogger.com,1999:blog-{BlogId}.post-100</id>
            <published>2011-10-08T19:40:00.000-04:00</published>
            <updated>2011-10-09T08:00:00.000-04:00</updated>
            <category scheme='{Kind}' term='{KindOf}post'/>
            <category scheme='http://www.blogger.com/atom/ns#' term='travel'/>
            <category scheme='http://www.blogger.com/atom/ns#' term='Café'/>
            <title type='text'>Hello from the coast</title>
            <content type='html'>&lt;p&gt;First part.&lt;/p&gt;&lt;a name='more'&gt;&lt;/a&gt;&lt;p&gt;Second part with &lt;img src="https://1.bp.blogspot.com/-abc/T1/AAA/s1600/harbour.jpg"&gt;&lt;/p&gt;</content>
            <link rel='alternate' type='text/html' href='https://notes.example.org/2011/10/hello-from-coast.html' title='Hello from the coast'/>
            <author><name>Ann Writer</name><uri>https://www.blogger.com/profile/1</uri><email>noreply@blogger.com</email></author>
          </entry>
          <entry>
            <id>tag:blogger.com,1999:blog-{BlogId}.post-101</id>
            <published>2012-01-01T10:00:00.000Z</published>
            <category scheme='{Kind}' term='{KindOf}post'/>
            <title type='text'>Unfinished thoughts</title>
            <content type='html'>&lt;p&gt;Draft&lt;/p&gt;</content>
            <app:control><app:draft>yes</app:draft></app:control>
            <author><name>Ann Writer</name></author>
          </entry>
          <entry>
            <id>tag:blogger.com,1999:blog-{BlogId}.page-7</id>
            <published>2010-05-01T10:00:00.000Z</published>
            <category scheme='{Kind}' term='{KindOf}page'/>
            <title type='text'>About</title>
            <content type='html'>&lt;p&gt;Who I am.&lt;/p&gt;</content>
            <link rel='alternate' type='text/html' href='https://notes.example.org/p/about.html'/>
            <author><name>Ann Writer</name></author>
          </entry>
          <entry>
            <id>tag:blogger.com,1999:blog-{BlogId}.post-200</id>
            <published>2011-10-10T12:00:00.000Z</published>
            <category scheme='{Kind}' term='{KindOf}comment'/>
            <title type='text'>Lovely</title>
            <content type='html'>Lovely &lt;b&gt;harbour&lt;/b&gt;!</content>
            <link rel='alternate' type='text/html' href='https://notes.example.org/2011/10/hello-from-coast.html?showComment=1#c200'/>
            <author><name>Bob Reader</name><uri>https://bob.example.net/</uri><email>bob@example.net</email></author>
            <thr:in-reply-to href='https://notes.example.org/2011/10/hello-from-coast.html' ref='tag:blogger.com,1999:blog-{BlogId}.post-100' type='text/html'/>
          </entry>
          <entry>
            <id>tag:blogger.com,1999:blog-{BlogId}.post-201</id>
            <published>2011-10-11T12:00:00.000Z</published>
            <category scheme='{Kind}' term='{KindOf}comment'/>
            <title type='text'>Thanks</title>
            <content type='html'>Thanks, Bob.</content>
            <link rel='related' type='application/atom+xml' href='https://www.blogger.com/feeds/{BlogId}/100/comments/default/200'/>
            <author><name>Anonymous</name><email>noreply@blogger.com</email></author>
            <thr:in-reply-to ref='tag:blogger.com,1999:blog-{BlogId}.post-100'/>
          </entry>
        </feed>
        """;

    /// <summary>
    /// A Takeout <c>feed.atom</c>: a live post with a description and a picture, a draft, a trashed post, a page, a
    /// comment, an anonymous reply to it, a spam comment and one awaiting approval.
    /// </summary>
    public static string Takeout(string picture = "https://blogger.googleusercontent.com/img/b/R29v/AVvX/s1600/harbour%20view.jpg") => $"""
        <?xml version='1.0' encoding='utf-8'?>
        <feed xmlns='http://www.w3.org/2005/Atom' xmlns:blogger='http://schemas.google.com/blogger/2018'>
          <id>tag:blogger.com,1999:blog-{BlogId}</id>
          <title>Field Notes</title>
          <entry>
            <id>tag:blogger.com,1999:blog-{BlogId}.post-100</id>
            <blogger:type>POST</blogger:type>
            <blogger:status>LIVE</blogger:status>
            <author><name>Ann Writer</name><uri>https://www.blogger.com/profile/1</uri><blogger:type>BLOGGER</blogger:type></author>
            <title>Hello from the coast</title>
            <content type='html'>&lt;p&gt;Sea.&lt;/p&gt;&lt;img src="{picture}"&gt;</content>
            <blogger:metaDescription>A day by the sea</blogger:metaDescription>
            <blogger:created>2011-10-08T19:40:53.278Z</blogger:created>
            <published>2011-10-08T19:46:00Z</published>
            <updated>2011-11-11T19:26:59.997Z</updated>
            <category scheme='tag:blogger.com,1999:blog-{BlogId}' term='travel'/>
            <blogger:filename>/2011/10/hello-from-coast.html</blogger:filename>
          </entry>
          <entry>
            <id>tag:blogger.com,1999:blog-{BlogId}.post-101</id>
            <blogger:type>POST</blogger:type>
            <blogger:status>DRAFT</blogger:status>
            <author><name>Ann Writer</name><blogger:type>BLOGGER</blogger:type></author>
            <title>Unfinished thoughts</title>
            <content type='html'>&lt;p&gt;Draft&lt;/p&gt;</content>
            <published>2012-01-01T10:00:00Z</published>
          </entry>
          <entry>
            <id>tag:blogger.com,1999:blog-{BlogId}.post-102</id>
            <blogger:type>POST</blogger:type>
            <blogger:status>LIVE</blogger:status>
            <blogger:trashed>2013-01-01T00:00:00Z</blogger:trashed>
            <title>Thrown away</title>
            <content type='html'>&lt;p&gt;Old&lt;/p&gt;</content>
            <published>2012-02-01T10:00:00Z</published>
            <blogger:filename>/2012/02/thrown-away.html</blogger:filename>
          </entry>
          <entry>
            <id>tag:blogger.com,1999:blog-{BlogId}.page-7</id>
            <blogger:type>PAGE</blogger:type>
            <blogger:status>LIVE</blogger:status>
            <title>About</title>
            <content type='html'>&lt;p&gt;Who I am.&lt;/p&gt;</content>
            <published>2010-05-01T10:00:00Z</published>
            <blogger:filename>/p/about.html</blogger:filename>
          </entry>
          <entry>
            <id>tag:blogger.com,1999:blog-{BlogId}.post-200</id>
            <blogger:type>COMMENT</blogger:type>
            <blogger:status>LIVE</blogger:status>
            <author><name>Bob Reader</name><uri>https://bob.example.net/</uri><blogger:type>BLOGGER</blogger:type></author>
            <content type='html'>Lovely!</content>
            <published>2011-10-10T12:00:00Z</published>
            <blogger:parent>tag:blogger.com,1999:blog-{BlogId}.post-100</blogger:parent>
          </entry>
          <entry>
            <id>tag:blogger.com,1999:blog-{BlogId}.post-201</id>
            <blogger:type>COMMENT</blogger:type>
            <blogger:status>LIVE</blogger:status>
            <author><name></name><blogger:type>ANONYMOUS</blogger:type></author>
            <content type='html'>Agreed.</content>
            <published>2011-10-11T12:00:00Z</published>
            <blogger:parent>tag:blogger.com,1999:blog-{BlogId}.post-100</blogger:parent>
            <blogger:inReplyTo>200</blogger:inReplyTo>
          </entry>
          <entry>
            <id>tag:blogger.com,1999:blog-{BlogId}.post-202</id>
            <blogger:type>COMMENT</blogger:type>
            <blogger:status>SPAM_COMMENT</blogger:status>
            <author><name>Cheap Pills</name><blogger:type>ANONYMOUS</blogger:type></author>
            <content type='html'>Buy now</content>
            <published>2011-10-12T12:00:00Z</published>
            <blogger:parent>tag:blogger.com,1999:blog-{BlogId}.post-100</blogger:parent>
          </entry>
          <entry>
            <id>tag:blogger.com,1999:blog-{BlogId}.post-203</id>
            <blogger:type>COMMENT</blogger:type>
            <blogger:status>PENDING</blogger:status>
            <author><name>Carol</name><blogger:type>BLOGGER</blogger:type></author>
            <content type='html'>Waiting</content>
            <published>2011-10-13T12:00:00Z</published>
            <blogger:parent>tag:blogger.com,1999:blog-{BlogId}.post-100</blogger:parent>
          </entry>
        </feed>
        """;

    /// <summary>A WXR 1.2 export (https namespace) with a category, a tag and the given items.</summary>
    public static string WordPress(string? items = null, string ns = "https://wordpress.org/export/1.2/") => $"""
        <?xml version="1.0" encoding="UTF-8" ?>
        <!-- generator="WordPress/6.4" -->
        <rss version="2.0" xmlns:excerpt="{ns}excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/"
             xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="{ns}">
        <channel>
          <title>Garden Diary</title>
          <link>https://garden.example.org</link>
          <wp:wxr_version>1.2</wp:wxr_version>
          <wp:base_site_url>https://garden.example.org</wp:base_site_url>
          <wp:base_blog_url>https://garden.example.org</wp:base_blog_url>
          <wp:author><wp:author_login><![CDATA[ann]]></wp:author_login><wp:author_display_name><![CDATA[Ann Gardener]]></wp:author_display_name></wp:author>
          <wp:category><wp:term_id>3</wp:term_id><wp:category_nicename><![CDATA[roses]]></wp:category_nicename><wp:category_parent><![CDATA[]]></wp:category_parent><wp:cat_name><![CDATA[Roses]]></wp:cat_name></wp:category>
          <wp:tag><wp:term_id>4</wp:term_id><wp:tag_slug><![CDATA[caf%c3%a9]]></wp:tag_slug><wp:tag_name><![CDATA[Café]]></wp:tag_name></wp:tag>
          <wp:term><wp:term_id>9</wp:term_id><wp:term_taxonomy><![CDATA[nav_menu]]></wp:term_taxonomy><wp:term_slug><![CDATA[main]]></wp:term_slug><wp:term_name><![CDATA[Main]]></wp:term_name></wp:term>
          {items ?? WordPressItem(11, "First roses", "Roses are out.\n\nThe red ones first.")}
        </channel>
        </rss>
        """;

    public static string WordPressItem(int id, string title, string body, string type = "post", string status = "publish",
        string password = "", string comments = "", string name = "first-roses") => $"""
        <item>
          <title>{title}</title>
          <link>https://garden.example.org/2020/05/{name}/</link>
          <pubDate>Sat, 02 May 2020 10:00:00 +0000</pubDate>
          <dc:creator><![CDATA[ann]]></dc:creator>
          <guid isPermaLink="false">https://garden.example.org/?p={id}</guid>
          <content:encoded><![CDATA[{body}]]></content:encoded>
          <excerpt:encoded><![CDATA[]]></excerpt:encoded>
          <wp:post_id>{id}</wp:post_id>
          <wp:post_date><![CDATA[2020-05-02 12:00:00]]></wp:post_date>
          <wp:post_date_gmt><![CDATA[2020-05-02 10:00:00]]></wp:post_date_gmt>
          <wp:comment_status><![CDATA[open]]></wp:comment_status>
          <wp:post_name><![CDATA[{name}]]></wp:post_name>
          <wp:status><![CDATA[{status}]]></wp:status>
          <wp:post_parent>0</wp:post_parent>
          <wp:post_type><![CDATA[{type}]]></wp:post_type>
          <wp:post_password><![CDATA[{password}]]></wp:post_password>
          <category domain="category" nicename="roses"><![CDATA[Roses]]></category>
          <category domain="post_tag" nicename="caf%c3%a9"><![CDATA[Café]]></category>
          <category domain="post_format" nicename="post-format-aside"><![CDATA[Aside]]></category>
          {comments}
        </item>
        """;

    public static string WordPressComment(int id, int parent, string approved = "1", string type = "", string author = "Bob") => $"""
        <wp:comment>
          <wp:comment_id>{id}</wp:comment_id>
          <wp:comment_author><![CDATA[{author}]]></wp:comment_author>
          <wp:comment_author_email><![CDATA[{author.ToLowerInvariant()}@example.net]]></wp:comment_author_email>
          <wp:comment_author_url>https://{author.ToLowerInvariant()}.example.net/</wp:comment_author_url>
          <wp:comment_date><![CDATA[2020-05-03 12:00:00]]></wp:comment_date>
          <wp:comment_date_gmt><![CDATA[2020-05-03 10:00:00]]></wp:comment_date_gmt>
          <wp:comment_content><![CDATA[Nice.
        Very nice.]]></wp:comment_content>
          <wp:comment_approved><![CDATA[{approved}]]></wp:comment_approved>
          <wp:comment_type><![CDATA[{type}]]></wp:comment_type>
          <wp:comment_parent>{parent}</wp:comment_parent>
          <wp:comment_user_id>0</wp:comment_user_id>
        </wp:comment>
        """;
}
