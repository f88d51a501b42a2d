namespace Blog.Web.Features.Labels;

public static class LabelsSetup
{
    public static IServiceCollection AddBlogLabels(this IServiceCollection services) =>
        services.AddSingleton<LabelQueries>();
}
