using System.Collections.Concurrent;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Mvc.Razor;
using Microsoft.AspNetCore.Mvc.ViewComponents;

namespace Blog.Web.Hosting;

/// <summary>
/// Where a view is found: in the folder of the feature that shows it, taken from the namespace of the controller or
/// view component (Blog.Web.Features.Account.ManageController's "Manage" is /Features/Account/Manage.cshtml, the
/// Moderation badge component's "_Badge" is /Features/Moderation/_Badge.cshtml), then in /Features/Shared/ for views
/// that more than one feature shows (the layout, the post list, the message and error pages). One rule for every
/// view, so no controller names a view's path.
/// </summary>
public sealed class FeatureViewLocations : IViewLocationExpander
{
    private const string FeaturesNamespace = "Blog.Web.Features.";
    private const string FeatureKey = "feature";
    private const string FeatureToken = "{feature}";

    /// <summary>What a view component's View(name) asks the view engine for: Components/{component}/{name}.</summary>
    private const string ComponentViewPrefix = "Components/";

    /// <summary>The view engine's first location: the folder of the feature that shows the view.</summary>
    public const string FeatureLocation = "/Features/" + FeatureToken + "/{0}.cshtml";

    /// <summary>Its second: views more than one feature shows.</summary>
    public const string SharedLocation = "/Features/Shared/{0}.cshtml";

    // Asked on every view lookup (the feature is part of the view engine's cache key), so worked out once each.
    private static readonly ConcurrentDictionary<Type, string?> FeatureOfController = new();
    private static readonly ConcurrentDictionary<string, string?> FeatureOfComponentView = new();

    public void PopulateValues(ViewLocationExpanderContext context)
    {
        var feature = context.ViewName.StartsWith(ComponentViewPrefix, StringComparison.Ordinal)
            ? FeatureOfComponentView.GetOrAdd(context.ViewName, ComponentFeature, context.ActionContext.HttpContext.RequestServices)
            : context.ActionContext.ActionDescriptor is ControllerActionDescriptor action
                ? FeatureOfController.GetOrAdd(action.ControllerTypeInfo, FeatureOf)
                : null;
        if (feature is not null)
        {
            context.Values[FeatureKey] = feature;
        }
    }

    public IEnumerable<string> ExpandViewLocations(ViewLocationExpanderContext context, IEnumerable<string> viewLocations)
    {
        context.Values.TryGetValue(FeatureKey, out var feature);
        // The engine fills {0} with the whole requested name; a component's view is found by its own name.
        var componentView = context.ViewName.StartsWith(ComponentViewPrefix, StringComparison.Ordinal)
            ? context.ViewName[(context.ViewName.LastIndexOf('/') + 1)..]
            : null;
        foreach (var location in viewLocations)
        {
            if (location.Contains(FeatureToken, StringComparison.Ordinal) && feature is null)
            {
                continue;
            }
            var inFeature = location.Replace(FeatureToken, feature, StringComparison.Ordinal);
            yield return componentView is null ? inFeature : inFeature.Replace("{0}", componentView, StringComparison.Ordinal);
        }
    }

    /// <summary>The feature folder of a type in Blog.Web.Features.{Feature}; null for a type outside the features.</summary>
    public static string? FeatureOf(Type type)
    {
        var ns = type.Namespace;
        if (ns is null || !ns.StartsWith(FeaturesNamespace, StringComparison.Ordinal))
        {
            return null;
        }
        var feature = ns[FeaturesNamespace.Length..];
        var end = feature.IndexOf('.');
        return end < 0 ? feature : feature[..end];
    }

    /// <summary>The feature of the view component whose view is asked for as Components/{component}/{view}.</summary>
    private static string? ComponentFeature(string viewName, IServiceProvider services)
    {
        var component = viewName.Split('/')[1];
        var descriptor = services.GetRequiredService<IViewComponentDescriptorCollectionProvider>()
            .ViewComponents.Items.FirstOrDefault(c => c.ShortName == component);
        return descriptor is null ? null : FeatureOf(descriptor.TypeInfo);
    }
}
