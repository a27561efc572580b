using System.Globalization;
using Callbridge.FrameCrypto.JFrame;
using Callbridge.TestSupport.Browser;

namespace Callbridge.WebRtc.Tests;

/// <summary>The JFrame sender transform shipped in Callbridge.FrameCrypto, served to the participant page (shared with the conference tests).</summary>
internal static class JFrameBrowserTransform
{
    private const string Resource = "Callbridge.FrameCrypto.Browser.jframe-transform.js";

    /// <summary>Copies the transform to the site's /files/ and returns the page's E2EE options for one key in one slot.</summary>
    public static async Task<ParticipantE2eeOptions> ServeAsync(BrowserFixture browser, string keyMaterialHex, int keySlot)
    {
        await using (Stream source = typeof(JFrameContext).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"resource {Resource} missing from Callbridge.FrameCrypto"))
        {
            await using FileStream target = File.Create(Path.Combine(browser.FilesFolder, "jframe-transform.js"));
            await source.CopyToAsync(target);
        }

        return new ParticipantE2eeOptions
        {
            Module = browser.Site.Url("files/jframe-transform.js").ToString(),
            Options = new Dictionary<string, object>
            {
                ["keys"] = new Dictionary<string, string> { [keySlot.ToString(CultureInfo.InvariantCulture)] = keyMaterialHex },
                ["currentIndex"] = keySlot,
            },
        };
    }
}
