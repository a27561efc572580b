using Callbridge.Janus;

namespace Callbridge.Stack.Tests.Janus;

/// <summary>A session object without loops or HTTP, for dispatch tests.</summary>
internal static class JanusSessionFactory
{
    public static JanusSession Detached()
    {
        var client = new JanusClient(new HttpClient(), new JanusClientOptions { BaseUri = new Uri("http://unused.test/janus") });
        return new JanusSession(client, 1);
    }
}
