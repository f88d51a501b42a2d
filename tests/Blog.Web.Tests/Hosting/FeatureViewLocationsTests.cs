using System.Reflection;
using Blog.Web.Features.Account;
using Blog.Web.Features.Comments;
using Blog.Web.Features.Posts;
using Blog.Web.Features.Search;
using Blog.Web.Features.Setup;
using Blog.Web.Hosting;
using Blog.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Mvc.ViewEngines;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Web.Tests.Hosting;

/// <summary>
/// Every view is found one way: in the folder of the feature whose controller or view component shows it (taken
/// from its namespace, whatever the controller is called), then in Features/Shared.
/// </summary>
public sealed class FeatureViewLocationsTests : IClassFixture<BlogAppFactory>
{
    private readonly BlogAppFactory _app;

    public FeatureViewLocationsTests(BlogAppFactory app) => _app = app;

    [Theory]
    // Controllers named unlike their folder find their feature's views.
    [InlineData(typeof(TwoFactorController), "TwoFactorSettings", "/Features/Account/TwoFactorSettings.cshtml")]
    [InlineData(typeof(PasswordResetController), "ResetPassword", "/Features/Account/ResetPassword.cshtml")]
    // Two features' views of one name stay apart.
    [InlineData(typeof(SearchController), "Index", "/Features/Search/Index.cshtml")]
    [InlineData(typeof(SetupController), "Index", "/Features/Setup/Index.cshtml")]
    // What several features show is shared.
    [InlineData(typeof(CommentsController), "Message", "/Features/Shared/Message.cshtml")]
    [InlineData(typeof(SearchController), "Home", "/Features/Shared/Home.cshtml")]
    public void APageViewIsFoundInTheFeatureOfItsController(Type controller, string viewName, string expectedPath)
    {
        var view = FindView(controller, viewName, isMainPage: true);

        Assert.Equal(expectedPath, view);
    }

    [Fact]
    public void AViewComponentsViewIsFoundInTheComponentsFeatureWhicheverPageShowsIt()
    {
        // The moderation badge sits in the layout of a post page, shown by the posts feature.
        var view = FindView(typeof(PostsController), "Components/ModerationBadge/_Badge", isMainPage: false);

        Assert.Equal("/Features/Moderation/_Badge.cshtml", view);
    }

    [Fact]
    public void AViewOfAnotherFeatureIsNotFoundByItsName()
    {
        Assert.Null(FindView(typeof(CommentsController), "TwoFactorSettings", isMainPage: true));
    }

    [Theory]
    [InlineData(typeof(ManageController), "Account")]
    [InlineData(typeof(CommentSectionViewComponent), "Comments")]
    [InlineData(typeof(HostingSetup), null)]
    public void TheFeatureIsTheFolderNamedInTheNamespace(Type type, string? expected)
    {
        Assert.Equal(expected, FeatureViewLocations.FeatureOf(type));
    }

    private string? FindView(Type controller, string viewName, bool isMainPage)
    {
        using var scope = _app.Services.CreateScope();
        var action = new ActionContext(
            new DefaultHttpContext { RequestServices = scope.ServiceProvider },
            new RouteData(),
            new ControllerActionDescriptor { ControllerTypeInfo = controller.GetTypeInfo(), ControllerName = controller.Name });
        var found = scope.ServiceProvider.GetRequiredService<ICompositeViewEngine>().FindView(action, viewName, isMainPage);
        return found.Success ? found.View.Path : null;
    }
}
