using Callbridge.Storage.Azure;
using Callbridge.Storage.Local;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Callbridge.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IBlobSink"/> from <see cref="BlobStorageOptions"/> (validated at start-up),
    /// with <paramref name="contentRoot"/> anchoring a relative local path.
    /// </summary>
    public static IServiceCollection AddBlobStorage(this IServiceCollection services, string contentRoot)
    {
        services.AddOptions<BlobStorageOptions>()
            .BindConfiguration(BlobStorageOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddHttpClientForBlobs();
        services.AddSingleton<IBlobSink>(sp =>
        {
            BlobStorageOptions options = sp.GetRequiredService<IOptions<BlobStorageOptions>>().Value;
            if (options.Kind == BlobStorageKind.Local)
                return new LocalFolderBlobSink(Path.Combine(contentRoot, options.LocalPath));
            AzureBlobCredential credential = string.IsNullOrWhiteSpace(options.AzureSasToken)
                ? new SharedKeyCredential(options.AzureAccountName!, options.AzureAccountKey!)
                : new SasCredential(options.AzureSasToken);
            var client = new AzureBlobRestClient(sp.GetRequiredService<BlobHttpClient>().Http, options.AzureServiceUri!,
                options.AzureContainer, credential, time: sp.GetService<TimeProvider>(),
                logger: sp.GetService<ILoggerFactory>()?.CreateLogger<AzureBlobRestClient>());
            return new AzureBlobSink(client);
        });
        return services;
    }

    private static void AddHttpClientForBlobs(this IServiceCollection services) =>
        services.AddSingleton<BlobHttpClient>();
}

/// <summary>One long-lived HttpClient for blob traffic (connection reuse; per-attempt timeouts are the client's own).</summary>
internal sealed class BlobHttpClient : IDisposable
{
    public HttpClient Http { get; } = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public void Dispose() => Http.Dispose();
}
