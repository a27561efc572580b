using Microsoft.AspNetCore.Hosting;

namespace Callbridge.Gateways.Host.Tests;

/// <summary>Settings the in-process test hosts share.</summary>
internal static class TestHostSettings
{
    /// <summary>An external Janus at <paramref name="janusUrl"/>; decisions, blobs and the recording spool under
    /// <paramref name="dataFolder"/>; a free SIP port: several hosts run at once.</summary>
    public static IWebHostBuilder UseTestHost(this IWebHostBuilder b, string janusUrl, string dataFolder)
    {
        b.UseSetting("Callbridge:Janus:Mode", "External");
        b.UseSetting("Callbridge:Janus:Url", janusUrl);
        b.UseSetting("Callbridge:AuditLogPath", Path.Combine(dataFolder, "decisions.jsonl"));
        b.UseSetting("Callbridge:Storage:LocalPath", Path.Combine(dataFolder, "blobs"));
        b.UseSetting("Callbridge:SipBridge:ListenPort", "0");
        b.UseSetting("Callbridge:Recording:SpoolFolder", Path.Combine(dataFolder, "recordings"));
        return b;
    }

    /// <summary>Tenant number <paramref name="index"/> with one API key.</summary>
    public static IWebHostBuilder UseTenant(this IWebHostBuilder b, int index, string id, string apiKey)
    {
        string prefix = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Callbridge:Tenants:{index}:");
        b.UseSetting(prefix + "Id", id);
        b.UseSetting(prefix + "ApiKeys:0", apiKey);
        return b;
    }
}
