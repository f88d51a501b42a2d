using System.Diagnostics;
using System.Globalization;
using System.Text;
using Blog.Web.Content;
using Blog.Web.Data;
using Blog.Web.Features.Posts;
using Blog.Web.Features.Settings;
using Blog.Web.Identity;
using Microsoft.AspNetCore.Identity;

namespace Blog.Web.Commands;

/// <summary>
/// <c>generate-data --posts N --comments M [--force]</c>: fills the blog's database (SQLite or PostgreSQL, whichever
/// the blog runs on) with a realistic blog for the benchmark (tests/Benchmarks/run.sh): an owner, a few members, N
/// published posts of about 600 words spread over ten years, labels, the search index and M approved comments, one
/// post holding exactly 50 of them and one holding exactly 5,000. Standard output is a list of shell variable
/// assignments (addresses to measure and a member's credentials) that the script sources; progress goes to standard
/// error.
/// </summary>
/// <remarks>
/// Markdown is rendered through the real renderers, but only once per template: rendering a million comments
/// one by one would take minutes and measure Markdig, not the reading side. This class decides every row, the same
/// on both engines (a seeded random, so a re-run makes the same blog); <see cref="IGeneratedDataWriter"/> stores them
/// in one transaction by each engine's fastest means.
/// </remarks>
public sealed class GenerateDataCommand : IBlogCommand
{
    public const string MemberPassword = "Bench-member-password-1";
    public const string OwnerEmail = "owner@bench.example";
    public const int SmallThreadComments = 50;
    public const int LargeThreadComments = 5_000;

    /// <summary>The word every post contains, so the search scenario matches many posts.</summary>
    public const string SearchTerm = "performance";

    private const int MemberCount = 8;
    private const int PostTemplateCount = 12;
    private const int CommentTemplateCount = 10;
    private const string Usage = "Usage: generate-data --posts <N, at least 3> --comments <M, at least 5050> [--force]\n" +
        "Fills the blog's database: the data folder's SQLite file, or the PostgreSQL database of ConnectionStrings:Blog " +
        "when Blog:Database:Provider is PostgreSQL.";

    public async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args, CommandConsole console, CancellationToken cancellationToken)
    {
        if (!TryParse(args, out var postCount, out var commentCount, out var force, out var problem))
        {
            await console.Error.WriteLineAsync(problem);
            await console.Error.WriteLineAsync(Usage);
            return 1;
        }
        var stopwatch = Stopwatch.StartNew();
        await services.GetRequiredService<SchemaMigrator>().ApplyAsync(cancellationToken);
        await using var writer = await OpenWriterAsync(services.GetRequiredService<BlogDatabase>(), cancellationToken);
        var existingPosts = await writer.CountPostsAsync(cancellationToken);
        if (existingPosts > 0 && !force)
        {
            await console.Error.WriteLineAsync(
                $"{writer.Description} already has {existingPosts:N0} posts. Use an empty data folder (or database), or add --force to add more.");
            return 1;
        }

        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var (authorId, memberIds) = await EnsureAccountsAsync(services, now);
        var settings = await services.GetRequiredService<SiteSettingsStore>().GetAsync(cancellationToken);
        var timeZone = PostUrls.TimeZone(settings.TimeZone);
        var random = new Random(7);

        var postTemplates = await RenderPostTemplatesAsync(services.GetRequiredService<PostRenderer>(), random, cancellationToken);
        var commentTemplates = await RenderCommentTemplatesAsync(services.GetRequiredService<CommentRenderer>(), random, cancellationToken);

        await writer.BeginAsync(cancellationToken);
        var labelIds = await writer.WriteLabelsAsync(Labels, cancellationToken);
        var (firstPostId, firstCommentId) = await writer.NextIdsAsync(cancellationToken);
        var posts = new GeneratedPost[postCount];
        await writer.WritePostsAsync(PostRows(posts, firstPostId, now, authorId, postTemplates, labelIds, random), cancellationToken);
        await console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Posts, labels and search rows written at {stopwatch.Elapsed.TotalSeconds:F1} s."));
        var counts = SpreadComments(postCount, commentCount, random, out var smallIndex, out var largeIndex);
        await writer.WriteCommentsAsync(CommentRows(posts, counts, firstCommentId, memberIds, commentTemplates, now, random), cancellationToken);
        await console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Comments written at {stopwatch.Elapsed.TotalSeconds:F1} s."));
        await writer.FinishAsync(cancellationToken);
        await console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Indexes built and committed at {stopwatch.Elapsed.TotalSeconds:F1} s."));

        var commentPost = posts[^1];
        var output = console.Out;
        await output.WriteLineAsync($"POST_50='{PostUrls.PostPath(posts[smallIndex].PublishedAt, posts[smallIndex].Slug, timeZone)}'");
        await output.WriteLineAsync($"POST_5000='{PostUrls.PostPath(posts[largeIndex].PublishedAt, posts[largeIndex].Slug, timeZone)}'");
        await output.WriteLineAsync($"LABEL='{PostUrls.LabelPath(Labels[0])}'");
        await output.WriteLineAsync($"SEARCH='/search?q={SearchTerm}'");
        await WriteListAddressesAsync(output, posts, settings.PostsPerPage);
        await output.WriteLineAsync($"OWNER_EMAIL='{OwnerEmail}'");
        await output.WriteLineAsync($"MEMBER_EMAIL='{MemberEmail(0)}'");
        // The benchmark's comment load changes member every 5 s (these, then MEMBER_EMAIL), so none of them reaches the
        // per-minute limit.
        await output.WriteLineAsync($"WARMUP_MEMBER_EMAILS='{string.Join(' ', Enumerable.Range(1, MemberCount - 1).Select(MemberEmail))}'");
        await output.WriteLineAsync($"MEMBER_PASSWORD='{MemberPassword}'");
        await output.WriteLineAsync($"COMMENT_POST_PAGE='{PostUrls.PostPath(commentPost.PublishedAt, commentPost.Slug, timeZone)}'");
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"COMMENT_POST_ID='{commentPost.Id}'"));
        await output.WriteLineAsync("COMMENT_POST_URL='/comments'");
        await console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Generated {postCount:N0} posts, {labelIds.Length} labels and {commentCount:N0} comments in {stopwatch.Elapsed.TotalSeconds:F1} s. " +
            $"Members {MemberEmail(0)} … {MemberEmail(MemberCount - 1)} and the owner {OwnerEmail} have the password {MemberPassword}."));
        return 0;
    }

    private static async Task<IGeneratedDataWriter> OpenWriterAsync(BlogDatabase database, CancellationToken ct) => database switch
    {
        SqliteDatabase sqlite => await SqliteGeneratedDataWriter.OpenAsync(sqlite, ct),
        PostgresDatabase postgres => await PostgresGeneratedDataWriter.OpenAsync(postgres, ct),
        _ => throw new NotSupportedException($"generate-data cannot write to a {database.Engine} database."),
    };

    /// <summary>
    /// The addresses the benchmark compares list pages with (posts are generated oldest first): DEEPEST_PAGE, the
    /// last page of the home list, and PAST_THE_END, one older still; twenty distinct addresses of each kind for
    /// pages that are not cached yet (FIRST_PAGES, DEEP_PAGES, PAST_END_PAGES); and what the benchmark's abusers
    /// make up addresses from (the oldest and newest publication as Unix seconds, the number of home pages).
    /// </summary>
    private static async Task WriteListAddressesAsync(TextWriter output, GeneratedPost[] oldestFirst, int pageSize)
    {
        const int variants = 20;
        var newest = oldestFirst[^1].PublishedAt;
        var oldest = oldestFirst[0].PublishedAt;
        // The page a list's "Older posts" links end on holds the posts published before the one a page from the oldest.
        var deepest = oldestFirst[Math.Min(pageSize, oldestFirst.Length - 1)].PublishedAt;
        string Page(DateTime before) => ListPaging.OlderThan("/search", before, pageSize);
        string Pages(Func<int, DateTime> before) => string.Join(' ', Enumerable.Range(0, variants).Select(i => Page(before(i))));
        await output.WriteLineAsync($"DEEPEST_PAGE='{Page(deepest)}'");
        await output.WriteLineAsync($"PAST_THE_END='{Page(oldest)}'");
        await output.WriteLineAsync($"FIRST_PAGES='{Pages(i => newest.AddSeconds(i + 1))}'");
        await output.WriteLineAsync($"DEEP_PAGES='{Pages(i => oldestFirst[Math.Min(pageSize + i, oldestFirst.Length - 1)].PublishedAt)}'");
        await output.WriteLineAsync($"PAST_END_PAGES='{Pages(i => oldest.AddSeconds(-(i + 1)))}'");
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"OLDEST_EPOCH='{new DateTimeOffset(oldest).ToUnixTimeSeconds()}'\nNEWEST_EPOCH='{new DateTimeOffset(newest).ToUnixTimeSeconds()}'"));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"HOME_PAGES='{(oldestFirst.Length + pageSize - 1) / pageSize}'\nPOST_COUNT='{oldestFirst.Length}'"));
    }

    public static string MemberEmail(int index) => string.Create(CultureInfo.InvariantCulture, $"member{index + 1}@bench.example");

    private static bool TryParse(IReadOnlyList<string> args, out int posts, out int comments, out bool force, out string problem)
    {
        posts = -1;
        comments = -1;
        force = false;
        problem = "";
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : null;
            switch (args[i])
            {
                case "--posts" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var p):
                    posts = p;
                    i++;
                    break;
                case "--comments" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var c):
                    comments = c;
                    i++;
                    break;
                case "--force":
                    force = true;
                    break;
                default:
                    problem = $"Unexpected argument '{args[i]}'.";
                    return false;
            }
        }
        // Three posts at least: the 50-comment one, the 5,000-comment one and the newest, which takes new comments.
        if (posts < 3 || posts > 10_000_000)
        {
            problem = "Give the number of posts with --posts (3 to 10,000,000).";
            return false;
        }
        if (comments < SmallThreadComments + LargeThreadComments || comments > 100_000_000)
        {
            problem = $"Give the number of comments with --comments ({SmallThreadComments + LargeThreadComments:N0} to 100,000,000).";
            return false;
        }
        return true;
    }

    /// <summary>The owner (the author of every post) and the members who write the comments, created through Identity.</summary>
    private static async Task<(string AuthorId, string[] MemberIds)> EnsureAccountsAsync(IServiceProvider services, DateTime now)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<Member>>();
        var owner = await EnsureAccountAsync(users, OwnerEmail, "Bench Owner", MemberRole.Owner, now);
        var members = new string[MemberCount];
        for (var i = 0; i < MemberCount; i++)
        {
            members[i] = await EnsureAccountAsync(users, MemberEmail(i), string.Create(CultureInfo.InvariantCulture, $"Reader Number {i + 1}"), MemberRole.Member, now);
        }
        return (owner, members);
    }

    private static async Task<string> EnsureAccountAsync(UserManager<Member> users, string email, string name, MemberRole role, DateTime now)
    {
        if (await users.FindByEmailAsync(email) is { } existing)
        {
            // A re-run with --force: make sure the printed password is the one that works.
            await users.RemovePasswordAsync(existing);
            Check(await users.AddPasswordAsync(existing, MemberPassword));
            return existing.Id;
        }
        var member = new Member { UserName = email, Email = email, EmailConfirmed = true, DisplayName = name, Role = role, CreatedAt = now };
        Check(await users.CreateAsync(member, MemberPassword));
        return member.Id;
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }

    private sealed record PostTemplate(string Markdown, RenderedBody Body);

    private sealed record GeneratedPost(long Id, string Slug, DateTime PublishedAt);

    private static async Task<PostTemplate[]> RenderPostTemplatesAsync(PostRenderer renderer, Random random, CancellationToken ct)
    {
        var templates = new PostTemplate[PostTemplateCount];
        for (var i = 0; i < templates.Length; i++)
        {
            var markdown = PostMarkdown(random, i);
            var result = await renderer.RenderAsync(markdown, ct);
            templates[i] = new PostTemplate(markdown, result.Body ?? throw new InvalidOperationException(result.Error));
        }
        return templates;
    }

    private static async Task<(string Markdown, string Html)[]> RenderCommentTemplatesAsync(CommentRenderer renderer, Random random, CancellationToken ct)
    {
        var templates = new (string Markdown, string Html)[CommentTemplateCount];
        for (var i = 0; i < templates.Length; i++)
        {
            var markdown = CommentMarkdown(random, i);
            var result = await renderer.RenderAsync(markdown, ct);
            templates[i] = (markdown, result.Body?.Html ?? throw new InvalidOperationException(result.Error));
        }
        return templates;
    }

    /// <summary>
    /// The posts, oldest first from ten years ago to an hour ago (comments on the newest are open and it is on the home
    /// page), each recorded in <paramref name="generated"/> as it is made: the printed addresses need them afterwards.
    /// </summary>
    private static IEnumerable<GeneratedPostRow> PostRows(
        GeneratedPost[] generated, long firstId, DateTime now, string authorId, PostTemplate[] templates, long[] labelIds, Random random)
    {
        var count = generated.Length;
        var start = now.AddYears(-10);
        var step = (now.AddHours(-1) - start).Ticks / Math.Max(1, count - 1);
        for (var i = 0; i < count; i++)
        {
            var id = firstId + i;
            var template = templates[i % templates.Length];
            var title = Title(random);
            var subtitle = i % 3 == 0 ? "" : Sentence(random, 6, 12).TrimEnd('.');
            var slug = Slugs.WithSuffix(Slugs.FromTitle(title), (int)(id % int.MaxValue));
            var publishedAt = new DateTime(start.Ticks + (step * i) + (i == count - 1 ? 0 : random.NextInt64(step / 2)), DateTimeKind.Utc);
            // The same body under a different title would look odd in a list; an opening line of its own fixes that.
            var opening = Sentence(random, 12, 20);
            var text = opening + " " + template.Body.Text;
            var labels = PickLabels(random);
            generated[i] = new GeneratedPost(id, slug, publishedAt);
            yield return new GeneratedPostRow(
                id, authorId, title, subtitle, slug,
                Markdown: opening + "\n\n" + template.Markdown,
                Html: "<p>" + opening + "</p>\n" + template.Body.Html,
                Excerpt: PostRenderer.Excerpt(text),
                publishedAt,
                [.. labels.Select(label => labelIds[label])],
                LabelNames: string.Join(' ', labels.Select(l => Labels[l])),
                SearchText: text);
        }
    }

    /// <summary>
    /// How many comments each post gets: exactly 50 on one post in the middle of the archive, exactly 5,000 on
    /// another, and the rest at random over the others, none of which ends up with 50 or 5,000 itself.
    /// </summary>
    private static int[] SpreadComments(int postCount, int commentCount, Random random, out int smallIndex, out int largeIndex)
    {
        var small = postCount / 2;
        var large = postCount / 3 == small ? 0 : postCount / 3;
        smallIndex = small;
        largeIndex = large;
        var counts = new int[postCount];
        counts[small] = SmallThreadComments;
        counts[large] = LargeThreadComments;
        var others = Enumerable.Range(0, postCount).Where(i => i != small && i != large).ToArray();
        for (var left = commentCount - SmallThreadComments - LargeThreadComments; left > 0; left--)
        {
            counts[others[random.Next(others.Length)]]++;
        }
        for (var pass = 0; pass < others.Length * 2; pass++)
        {
            var clash = Array.FindIndex(others, i => counts[i] is SmallThreadComments or LargeThreadComments);
            if (clash < 0)
            {
                return counts;
            }
            counts[others[clash]]--;
            counts[others[(clash + 1) % others.Length]]++;
        }
        throw new InvalidOperationException("Could not spread the comments without a second 50- or 5,000-comment post.");
    }

    /// <summary>Each post's comments, spread evenly between its publication and now.</summary>
    private static IEnumerable<GeneratedCommentRow> CommentRows(
        GeneratedPost[] posts, int[] counts, long firstId, string[] memberIds, (string Markdown, string Html)[] templates, DateTime now, Random random)
    {
        var nextId = firstId;
        for (var p = 0; p < posts.Length; p++)
        {
            var post = posts[p];
            var window = Math.Max(1, (now - post.PublishedAt).Ticks);
            var step = window / (counts[p] + 1);
            long? threadRoot = null;
            for (var c = 0; c < counts[p]; c++)
            {
                // Roughly one comment in four answers the thread above it, so pages show replies as well.
                var reply = threadRoot is not null && random.Next(4) == 0;
                var template = templates[random.Next(templates.Length)];
                var createdAt = new DateTime(post.PublishedAt.Ticks + (step * (c + 1)), DateTimeKind.Utc);
                yield return new GeneratedCommentRow(nextId, post.Id, reply ? threadRoot : null,
                    memberIds[random.Next(memberIds.Length)], template.Markdown, template.Html, createdAt);
                if (!reply)
                {
                    threadRoot = nextId;
                }
                nextId++;
            }
        }
    }


    /// <summary>One to four labels; the first label is on about half the posts, so its page has many.</summary>
    private static int[] PickLabels(Random random)
    {
        var picked = new HashSet<int>();
        if (random.Next(2) == 0)
        {
            picked.Add(0);
        }
        var wanted = random.Next(1, 5);
        while (picked.Count < wanted)
        {
            picked.Add(random.Next(Labels.Length));
        }
        return [.. picked];
    }

    private static readonly string[] Labels =
    [
        "notes", "sqlite", "dotnet", "performance", "gardening", "travel", "books", "cooking", "photography", "music",
        "linux", "networking", "security", "design", "writing", "cycling", "history", "maths", "teaching", "family",
        "weekend projects", "open source", "databases", "testing", "web", "accessibility", "typography", "hiking",
        "coffee", "bread", "woodworking", "astronomy", "languages", "film", "podcasts", "year in review",
    ];

    private static readonly string[] Words =
    [
        "the", "a", "server", "garden", "morning", "query", "page", "reader", "index", "winter", "table", "letter",
        "window", "river", "cache", "thread", "design", "kitchen", "bicycle", "library", "evening", "station", "memory",
        "field", "record", "journey", "measure", "simple", "careful", "quiet", "bright", "slow", "quick", "honest",
        "small", "large", "old", "new", "useful", "strange", "writes", "reads", "keeps", "finds", "builds", "changes",
        "holds", "turns", "makes", "shows", "with", "without", "under", "over", "after", "before", "between", "and",
        "but", "because", "while", "every", "some", "many", "few", "our", "their", "this", "that", "week", "year",
        "map", "question", "answer", "story", "stone", "bread", "coffee", "mountain", "engine", "document", "request",
        "response", "latency", "budget", "habit", "list", "draft", "chapter", "sketch", "notebook", "harbour", "valley",
    ];

    private static string Word(Random random) => Words[random.Next(Words.Length)];

    private static string Sentence(Random random, int min, int max)
    {
        var words = Enumerable.Range(0, random.Next(min, max + 1)).Select(_ => Word(random)).ToArray();
        words[0] = char.ToUpperInvariant(words[0][0]) + words[0][1..];
        return string.Join(' ', words) + ".";
    }

    private static string Title(Random random) => Sentence(random, 3, 7).TrimEnd('.');

    private static string Paragraph(Random random)
    {
        var text = new StringBuilder();
        var sentences = random.Next(3, 6);
        for (var s = 0; s < sentences; s++)
        {
            var sentence = Sentence(random, 8, 18);
            switch (random.Next(8))
            {
                case 0:
                    sentence = sentence.Replace(" the ", " the **" + Word(random) + "** ", StringComparison.Ordinal);
                    break;
                case 1:
                    sentence = sentence.Replace(" a ", " a *" + Word(random) + "* ", StringComparison.Ordinal);
                    break;
                case 2:
                    sentence = sentence.TrimEnd('.') + " with `" + Word(random) + "_" + Word(random) + "()`.";
                    break;
                case 3:
                    sentence = sentence.TrimEnd('.') + string.Create(CultureInfo.InvariantCulture,
                        $" (see [{Word(random)} {Word(random)}](https://example.org/{Word(random)}/{random.Next(1000)})).");
                    break;
            }
            text.Append(sentence).Append(' ');
        }
        return text.ToString().TrimEnd();
    }

    /// <summary>About 600 words with headings, lists, links, a quote and code, like a technical or personal post.</summary>
    private static string PostMarkdown(Random random, int index)
    {
        var text = new StringBuilder();
        text.Append(Paragraph(random)).Append(" A note on ").Append(SearchTerm).Append(" follows.\n\n");
        var section = 0;
        while (CountWords(text) < 600)
        {
            section++;
            text.Append("## ").Append(Sentence(random, 2, 5).TrimEnd('.')).Append("\n\n");
            text.Append(Paragraph(random)).Append("\n\n");
            switch ((section + index) % 4)
            {
                case 0:
                    for (var i = 0; i < random.Next(3, 6); i++)
                    {
                        text.Append("- ").Append(Sentence(random, 4, 10)).Append('\n');
                    }
                    break;
                case 1:
                    for (var i = 1; i < random.Next(4, 7); i++)
                    {
                        text.Append(i.ToString(CultureInfo.InvariantCulture)).Append(". ").Append(Sentence(random, 5, 12)).Append('\n');
                    }
                    break;
                case 2:
                    text.Append("```sql\nSELECT id, title FROM posts\nWHERE published_at <= @Now\nORDER BY published_at DESC\nLIMIT ")
                        .Append(random.Next(5, 50).ToString(CultureInfo.InvariantCulture)).Append(";\n```\n");
                    break;
                default:
                    text.Append("> ").Append(Sentence(random, 10, 20)).Append('\n');
                    break;
            }
            text.Append('\n').Append(Paragraph(random)).Append("\n\n");
        }
        text.Append("### ").Append(Sentence(random, 2, 4).TrimEnd('.')).Append("\n\n").Append(Paragraph(random)).Append('\n');
        return text.ToString();
    }

    private static string CommentMarkdown(Random random, int index) => (index % 4) switch
    {
        0 => Sentence(random, 6, 16),
        1 => Paragraph(random) + "\n\n" + Sentence(random, 5, 10),
        2 => "> " + Sentence(random, 5, 10) + "\n\n" + Paragraph(random),
        _ => Sentence(random, 8, 14) + " There is more at https://example.org/" + Word(random) + " if you are curious.",
    };

    private static int CountWords(StringBuilder text) =>
        text.ToString().Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Length;
}
