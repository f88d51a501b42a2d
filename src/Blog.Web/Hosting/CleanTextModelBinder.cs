using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ModelBinding.Binders;

namespace Blog.Web.Hosting;

/// <summary>
/// Every string the app binds from a request passes through here: NUL and other control characters
/// (except tab, line feed and carriage return) are dropped. They are never meaningful in a blog's text,
/// they break XML feeds and confuse terminals and logs — and dropping them keeps the rest of what the
/// person typed instead of refusing the whole form.
/// </summary>
public sealed class CleanTextModelBinder(IModelBinder inner) : IModelBinder
{
    public async Task BindModelAsync(ModelBindingContext bindingContext)
    {
        await inner.BindModelAsync(bindingContext);
        if (bindingContext.Result is { IsModelSet: true, Model: string text } && NeedsCleaning(text))
        {
            var cleaned = Clean(text);
            bindingContext.Result = ModelBindingResult.Success(cleaned);
            // Forms re-displayed after a validation error show the attempted value: make that the cleaned one too.
            bindingContext.ModelState.SetModelValue(bindingContext.ModelName, cleaned, cleaned);
        }
    }

    public static string Clean(string text) => string.Create(text.Length - text.Count(IsUnwanted), text, static (span, source) =>
    {
        var next = 0;
        foreach (var c in source)
        {
            if (!IsUnwanted(c))
            {
                span[next++] = c;
            }
        }
    });

    private static bool NeedsCleaning(string text) => text.Any(IsUnwanted);

    private static bool IsUnwanted(char c) =>
        c is not ('\t' or '\n' or '\r') && (char.IsControl(c) || c is '\uFFFE' or '\uFFFF');
}

public sealed class CleanTextModelBinderProvider : IModelBinderProvider
{
    public IModelBinder? GetBinder(ModelBinderProviderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Metadata.ModelType != typeof(string))
        {
            return null;
        }
        var loggers = context.Services.GetRequiredService<ILoggerFactory>();
        return new CleanTextModelBinder(new SimpleTypeModelBinder(typeof(string), loggers));
    }
}
