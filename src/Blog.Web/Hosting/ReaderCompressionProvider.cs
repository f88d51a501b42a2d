using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.Options;

namespace Blog.Web.Hosting;

/// <summary>
/// Compresses anonymous reader pages only (see the BREACH note in <see cref="ReaderCacheSetup"/>), and only answers the
/// cache keeps (a page or its 404): those are compressed once and sent many times, while compressing a refusal
/// (429) or an error would cost more than sending it as it is, on every request.
/// </summary>
public sealed class ReaderCompressionProvider(IServiceProvider services, IOptions<ResponseCompressionOptions> options)
    : ResponseCompressionProvider(services, options)
{
    public override bool ShouldCompressResponse(HttpContext context) =>
        context.Response.StatusCode is StatusCodes.Status200OK or StatusCodes.Status404NotFound
        && context.IsAnonymousReaderRequest() && base.ShouldCompressResponse(context);
}
