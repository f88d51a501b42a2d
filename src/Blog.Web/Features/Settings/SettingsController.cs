using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Blog.Web.Hosting;
using Blog.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Blog.Web.Features.Settings;

/// <summary>The owner's settings page: title, description, paging, time zone, date format and the blog's address.</summary>
[Authorize(Policy = Policies.Owner)]
[Route("admin/settings")]
public sealed class SettingsController(SiteSettingsStore settings, SettingsCommands commands, CanonicalAddress address) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Edit(CancellationToken cancellationToken)
    {
        var site = await settings.GetAsync(cancellationToken);
        return View(new SettingsForm
        {
            Title = site.Title,
            Description = site.Description,
            PostsPerPage = site.PostsPerPage,
            TimeZone = site.TimeZone,
            DateFormat = site.DateFormat,
            BaseUrl = address.Known,
        });
    }

    [HttpPost("")]
    public async Task<IActionResult> Edit(SettingsForm form, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(form.TimeZone) && !TimeZoneInfo.TryFindSystemTimeZoneById(form.TimeZone.Trim(), out _))
        {
            ModelState.AddModelError(nameof(form.TimeZone), "That is not a time zone this server knows. Pick one from the list, e.g. Europe/Paris.");
        }
        if (!string.IsNullOrWhiteSpace(form.DateFormat) && SettingsForm.Sample(form.DateFormat) is null)
        {
            ModelState.AddModelError(nameof(form.DateFormat), "That date format doesn't work. Try something like dddd, d MMMM yyyy.");
        }
        var newAddress = ReadAddress(form);
        if (!ModelState.IsValid)
        {
            return View(form);
        }
        await commands.SaveSiteAsync(form, newAddress, cancellationToken);
        TempData["Notice"] = "Settings saved.";
        return RedirectToAction(nameof(Edit));
    }

    /// <summary>
    /// The address to record, or null to leave it as it is: Blog:BaseUrl, when configured, is not the page's to
    /// change, and an empty field is accepted only while none is recorded (an owner made from the command line).
    /// </summary>
    private string? ReadAddress(SettingsForm form)
    {
        if (address.Configured is not null || (string.IsNullOrWhiteSpace(form.BaseUrl) && address.Recorded is null))
        {
            return null;
        }
        if (!CanonicalAddress.TryParse(form.BaseUrl, out var parsed, out var problem))
        {
            ModelState.AddModelError(nameof(form.BaseUrl), string.IsNullOrWhiteSpace(form.BaseUrl) ? "Enter the blog's address, e.g. https://blog.example.com." : problem);
            return null;
        }
        return parsed;
    }
}

public sealed class SettingsForm
{
    [Required(ErrorMessage = "Give the blog a title.")]
    [StringLength(100, ErrorMessage = "Keep the title to {1} characters or fewer.")]
    [Display(Name = "Blog title")]
    public string Title { get; set; } = "";

    [StringLength(300, ErrorMessage = "Keep the description to {1} characters or fewer.")]
    [Display(Name = "Description")]
    public string? Description { get; set; }

    [Required(ErrorMessage = "Enter how many posts to show per page.")]
    [Range(1, 100, ErrorMessage = "Show between {1} and {2} posts per page.")]
    [Display(Name = "Posts per page")]
    public int? PostsPerPage { get; set; }

    [Required(ErrorMessage = "Choose the blog's time zone.")]
    [Display(Name = "Time zone")]
    public string TimeZone { get; set; } = "";

    [Required(ErrorMessage = "Enter a date format.")]
    [StringLength(60, ErrorMessage = "Keep the date format to {1} characters or fewer.")]
    [Display(Name = "Date format")]
    public string DateFormat { get; set; } = "";

    /// <summary>The blog's public address (see <see cref="CanonicalAddress"/>); checked by the controller.</summary>
    [Display(Name = "Blog address")]
    public string? BaseUrl { get; set; }

    /// <summary>A date written in <paramref name="format"/>, or null when the format cannot be used.</summary>
    public static string? Sample(string format)
    {
        try
        {
            return new DateTime(2026, 3, 7, 14, 5, 0, DateTimeKind.Utc).ToString(format, CultureInfo.InvariantCulture);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
