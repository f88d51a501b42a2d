using System.Net;
using System.Net.Sockets;

namespace Blog.Web.Tests.Infrastructure;

/// <summary>A loopback port nothing listens on, standing in for an SMTP server that is down.</summary>
public static class ClosedPort
{
    public static int Find()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
