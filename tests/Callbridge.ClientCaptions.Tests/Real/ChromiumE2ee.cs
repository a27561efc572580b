using System.Globalization;
using Callbridge.TestSupport;
using Callbridge.TestSupport.Browser;

namespace Callbridge.ClientCaptions.Tests.Real;

/// <summary>Chromium participants with the JFrame transform (src/Callbridge.FrameCrypto/Browser) in a module worker.</summary>
internal static class ChromiumE2ee
{
    /// <summary>
    /// Copies the transform (Callbridge.FrameCrypto's jframe-transform.js, in the output's Browser/ folder) and the
    /// test worker that imports it as /files/jframe-transform.js into the site's /files/; returns the worker's URL.
    /// </summary>
    public static string ServeWorker(BrowserFixture browser)
    {
        foreach (string file in new[] { "jframe-transform.js", "jframe-worker.js" })
        {
            File.Copy(Path.Combine(AppContext.BaseDirectory, "Browser", file), Path.Combine(browser.FilesFolder, file), overwrite: true);
        }

        return browser.Site.Url("files/jframe-worker.js").ToString();
    }

    /// <summary>E2EE options for the page: the given slots (hex material), the last one current; none for a keyless receiver.</summary>
    public static ParticipantE2eeOptions Options(string module, params (int Index, string Hex)[] keys) => new()
    {
        Module = module,
        Options = new Dictionary<string, object>
        {
            ["keys"] = keys.ToDictionary(k => k.Index.ToString(CultureInfo.InvariantCulture), k => (object)k.Hex),
            ["currentIndex"] = keys.Length == 0 ? 0 : keys[^1].Index,
        },
    };

    /// <summary>Rotation: the page's worker puts <paramref name="hex"/> at <paramref name="keyIndex"/> and encrypts with it.</summary>
    public static Task RotateAsync(BrowserParticipant participant, int keyIndex, string hex) =>
        participant.Page.EvaluateAsync("m => window.cb.e2ee.worker.postMessage(m)", new Dictionary<string, object> { ["keyIndex"] = keyIndex, ["material"] = hex });

    /// <summary>Ratchet of the current key under the same index (what lib-jitsi-meet does when someone joins).</summary>
    public static Task RatchetAsync(BrowserParticipant participant) =>
        participant.Page.EvaluateAsync("m => window.cb.e2ee.worker.postMessage(m)", new Dictionary<string, object> { ["ratchet"] = true });
}
