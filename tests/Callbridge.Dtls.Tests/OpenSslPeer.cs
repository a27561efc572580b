using System.Diagnostics;
using System.Text;

namespace Callbridge.Dtls.Tests;

/// <summary>
/// A real OpenSSL peer (Debian package `openssl`): a throwaway ECDSA P-256 identity in a temp folder and
/// an `openssl s_server`/`s_client` process whose output is collected as it arrives (unbuffered via stdbuf).
/// </summary>
internal sealed class OpenSslPeer : IDisposable
{
    private readonly StringBuilder _output = new();
    private readonly Lock _lock = new();
    private Process? _process;

    private OpenSslPeer(string folder)
    {
        Folder = folder;
    }

    public string Folder { get; }

    public string CertificatePath => Path.Combine(Folder, "cert.pem");

    public string KeyPath => Path.Combine(Folder, "key.pem");

    public string Output
    {
        get
        {
            lock (_lock)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process?.HasExited ?? true;

    public static OpenSslPeer CreateIdentity()
    {
        string folder = Directory.CreateTempSubdirectory("callbridge-dtls-").FullName;
        var peer = new OpenSslPeer(folder);
        Run("openssl", $"req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout {peer.KeyPath} -out {peer.CertificatePath} -days 2 -subj /CN=openssl-peer");
        return peer;
    }

    /// <summary>The certificate's fingerprint as `openssl x509 -fingerprint -sha256` prints it, turned into SDP form.</summary>
    public DtlsFingerprint Fingerprint()
    {
        string line = Run("openssl", $"x509 -in {CertificatePath} -noout -fingerprint -sha256").Trim();
        string hex = line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..];
        Assert.True(DtlsFingerprint.TryParse("sha-256 " + hex, out DtlsFingerprint? fingerprint, out DtlsFingerprintError error), $"{line}: {error}");
        return fingerprint!;
    }

    public void Start(string arguments)
    {
        var info = new ProcessStartInfo("stdbuf", "-o0 -e0 openssl " + arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        if (!_process.Start())
        {
            throw new InvalidOperationException("openssl did not start: install the Debian package openssl.");
        }

        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Waits until the output contains <paramref name="text"/>; fails with the whole output otherwise.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            Assert.True(watch.Elapsed < timeout, $"openssl never printed '{text}'. Output:\n{Output}");
            await Task.Delay(50);
        }
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        if (_process is null)
        {
            return true;
        }

        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>The hex after "Keying material: " in the exporter section (printed by -keymatexport).</summary>
    public byte[] ExportedKeyingMaterial()
    {
        string output = Output;
        int at = output.IndexOf("Keying material: ", StringComparison.Ordinal);
        Assert.True(at >= 0, "openssl printed no keying material:\n" + output);
        string hex = output[(at + "Keying material: ".Length)..].Split('\n')[0].Trim();
        return Convert.FromHexString(hex);
    }

    /// <summary>The DER of the first PEM certificate printed after <paramref name="heading"/> (the peer's certificate).</summary>
    public byte[] PrintedCertificate(string heading)
    {
        string output = Output;
        int at = output.IndexOf(heading, StringComparison.Ordinal);
        Assert.True(at >= 0, $"openssl printed no '{heading}':\n" + output);
        int begin = output.IndexOf("-----BEGIN CERTIFICATE-----", at, StringComparison.Ordinal);
        int end = output.IndexOf("-----END CERTIFICATE-----", begin, StringComparison.Ordinal);
        string base64 = output[(begin + "-----BEGIN CERTIFICATE-----".Length)..end].Replace("\n", string.Empty, StringComparison.Ordinal).Replace("\r", string.Empty, StringComparison.Ordinal);
        return Convert.FromBase64String(base64);
    }

    public void Dispose()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process?.Dispose();
        Directory.Delete(Folder, recursive: true);
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lock)
        {
            _output.Append(line).Append('\n');
        }
    }

    private static string Run(string file, string arguments)
    {
        var info = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using Process process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start: install the Debian package openssl.");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{file} {arguments} failed: {stderr}");
        return stdout.Result;
    }
}
