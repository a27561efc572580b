namespace Callbridge.Sdp.Tests;

/// <summary>
/// Descriptions shaped as the real peers write them. janus112-publisher-answer.sdp is the answer Janus 1.1.2
/// gave in JanusInteropTests here; the Chromium 156 offer and the Janus VideoRoom subscriber offer are
/// written to their published shapes (attribute set and order), with our own ids, keys and addresses.
/// </summary>
internal static class SdpFixtures
{
    public const string ChromiumOffer = "chromium156-publisher-offer.sdp";
    public const string JanusSubscriberOffer = "janus112-subscriber-offer.sdp";
    public const string JanusPublisherAnswer = "janus112-publisher-answer.sdp";

    public static readonly string[] All = [ChromiumOffer, JanusSubscriberOffer, JanusPublisherAnswer];

    /// <summary>The fixture with CRLF line ends, as peers send it.</summary>
    public static string Load(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name)).ReplaceLineEndings("\r\n");

    public static SessionDescription Parse(string text)
    {
        Assert.True(SessionDescription.TryParse(text, out SessionDescription? description, out SdpParseFailure failure), failure.ToString());
        return description!;
    }
}
