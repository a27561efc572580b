using Callbridge.Negotiation.Clients;

namespace Callbridge.Negotiation.Tests;

public sealed class ClientSupportTests
{
    // Real user-agent strings as browsers send them, with the verdict the service's floor gives.
    public static TheoryData<string, ClientFamily, ClientSupport, string?> UserAgents => new()
    {
        { "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36", ClientFamily.Chrome, ClientSupport.Supported, "120.0" },
        { "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/94.0.4606.61 Safari/537.36", ClientFamily.Chrome, ClientSupport.Supported, "94.0" },
        { "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/93.0.4577.82 Safari/537.36", ClientFamily.Chrome, ClientSupport.Unsupported, "93.0" },
        { "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/142.0.0.0 Safari/537.36", ClientFamily.Chrome, ClientSupport.Supported, "142.0" },
        { "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36", ClientFamily.Chrome, ClientSupport.Supported, "120.0" },
        { "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0.0.0 Safari/537.36 Edg/118.0.2088.46", ClientFamily.Edge, ClientSupport.Supported, "118.0" },
        { "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/93.0.4577.63 Safari/537.36 Edg/93.0.961.47", ClientFamily.Edge, ClientSupport.Unsupported, "93.0" },
        { "Mozilla/5.0 (Linux; Android 10; HD1913) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.6045.163 Mobile Safari/537.36 EdgA/119.0.2151.78", ClientFamily.Edge, ClientSupport.Supported, "119.0" },
        { "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.102 Safari/537.36 Edge/18.19582", ClientFamily.EdgeLegacy, ClientSupport.Unsupported, "18.19582" },
        { "Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko", ClientFamily.InternetExplorer, ClientSupport.Unsupported, "11.0" },
        { "Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.1; Trident/6.0)", ClientFamily.InternetExplorer, ClientSupport.Unsupported, "10.0" },
        { "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:113.0) Gecko/20100101 Firefox/113.0", ClientFamily.Firefox, ClientSupport.Supported, "113.0" },
        { "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:112.0) Gecko/20100101 Firefox/112.0", ClientFamily.Firefox, ClientSupport.Unsupported, "112.0" },
        { "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:115.0) Gecko/20100101 Firefox/115.0", ClientFamily.Firefox, ClientSupport.Supported, "115.0" },
        { "Mozilla/5.0 (Android 14; Mobile; rv:120.0) Gecko/120.0 Firefox/120.0", ClientFamily.Firefox, ClientSupport.Supported, "120.0" },
        { "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/15.4 Safari/605.1.15", ClientFamily.Safari, ClientSupport.Supported, "15.4" },
        { "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/15.3 Safari/605.1.15", ClientFamily.Safari, ClientSupport.Unsupported, "15.3" },
        { "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15", ClientFamily.Safari, ClientSupport.Supported, "17.1" },
        { "Mozilla/5.0 (iPhone; CPU iPhone OS 15_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/15.4 Mobile/15E148 Safari/604.1", ClientFamily.IosWebKit, ClientSupport.Supported, "15.4" },
        { "Mozilla/5.0 (iPhone; CPU iPhone OS 15_3_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/15.3 Mobile/15E148 Safari/604.1", ClientFamily.IosWebKit, ClientSupport.Unsupported, "15.3" },
        // Chrome on iOS is WebKit: its own version (94) does not matter, iOS 14.8 does.
        { "Mozilla/5.0 (iPhone; CPU iPhone OS 14_8 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/94.0.4606.76 Mobile/15E148 Safari/604.1", ClientFamily.IosWebKit, ClientSupport.Unsupported, "14.8" },
        // Firefox on iOS is WebKit too: Firefox 108 < 113, but iOS 16.1 supports it.
        { "Mozilla/5.0 (iPhone; CPU iPhone OS 16_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/108.0 Mobile/15E148 Safari/605.1.15", ClientFamily.IosWebKit, ClientSupport.Supported, "16.1" },
        { "Mozilla/5.0 (iPad; CPU OS 15_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/15.4 Mobile/15E148 Safari/604.1", ClientFamily.IosWebKit, ClientSupport.Supported, "15.4" },
        { "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) EdgiOS/117.0.2045.65 Version/17.0 Mobile/15E148 Safari/604.1", ClientFamily.IosWebKit, ClientSupport.Supported, "17.0" },
        { "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Safari/537.36 OPR/105.0.0.0", ClientFamily.ChromiumBased, ClientSupport.Supported, "119.0" },
        { "Mozilla/5.0 (Linux; Android 13; SAMSUNG SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36", ClientFamily.ChromiumBased, ClientSupport.Supported, "115.0" },
        { "Mozilla/5.0 (Linux; Android 9; SAMSUNG SM-G960F) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/10.1 Chrome/71.0.3578.99 Mobile Safari/537.36", ClientFamily.ChromiumBased, ClientSupport.Unsupported, "71.0" },
        // Not guessed: an app's WebView, a command-line client, a crawler, nothing at all.
        { "Mozilla/5.0 (Linux; Android 13; Pixel 7 Build/TQ3A.230805.001; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36", ClientFamily.Unknown, ClientSupport.Unknown, "116.0" },
        { "curl/8.4.0", ClientFamily.Unknown, ClientSupport.Unknown, null },
        { "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", ClientFamily.Unknown, ClientSupport.Unknown, null },
        { "", ClientFamily.Unknown, ClientSupport.Unknown, null },
    };

    [Theory]
    [MemberData(nameof(UserAgents))]
    public void Classifies_real_user_agents_against_the_floor(string userAgent, ClientFamily family, ClientSupport support, string? version)
    {
        ClientAssessment a = E2eeClientSupport.Classify(userAgent);
        Assert.Equal(family, a.Family);
        Assert.Equal(support, a.Support);
        Assert.Equal(version, a.Version?.ToString());
        Assert.False(string.IsNullOrWhiteSpace(a.Reason));
    }

    [Fact]
    public void Unsupported_participant_joining_an_e2ee_conference_is_named_to_the_host()
    {
        var alice = new ParticipantClient("p-17", "Alice Martin", "Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko");
        UnsupportedClientFinding? finding = E2eeClientAdmission.Check(alice, conferenceIsE2ee: true);
        Assert.NotNull(finding);
        Assert.Equal("Alice Martin cannot take part in this end-to-end encrypted meeting: Internet Explorer cannot take part in end-to-end encrypted meetings.", finding.HostMessage);
        Assert.Null(E2eeClientAdmission.Check(alice, conferenceIsE2ee: false));

        var bob = new ParticipantClient("p-18", "Bob", "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:113.0) Gecko/20100101 Firefox/113.0");
        Assert.Null(E2eeClientAdmission.Check(bob, conferenceIsE2ee: true));

        var carol = new ParticipantClient("p-19", "Carol", "curl/8.4.0");
        UnsupportedClientFinding? unknown = E2eeClientAdmission.Check(carol, conferenceIsE2ee: true);
        Assert.Equal(ClientSupport.Unknown, unknown!.Assessment.Support);
        Assert.StartsWith("Carol may not be able to take part", unknown.HostMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Old_client_reason_states_the_needed_version()
    {
        ClientAssessment a = E2eeClientSupport.Classify("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/15.3 Safari/605.1.15");
        Assert.Equal("Safari 15.3 is too old for end-to-end encryption (Safari 15.4 or newer is needed)", a.Reason);
    }

    [Fact]
    public void Garbage_user_agents_never_throw()
    {
        var random = new Random(20261122);
        const string alphabet = "MozilaChromeEdg/Firefox;iPhone OS _.0123456789() wvTridentMSIE Version/Safari/";
        for (int i = 0; i < 100_000; i++)
        {
            var chars = new char[random.Next(0, 120)];
            for (int j = 0; j < chars.Length; j++)
            {
                chars[j] = random.Next(8) == 0 ? (char)random.Next(0, 0x3000) : alphabet[random.Next(alphabet.Length)];
            }

            ClientAssessment a = E2eeClientSupport.Classify(new string(chars));
            Assert.True(Enum.IsDefined(a.Support));
        }
    }
}
