using System.Net;
using Callbridge.Dtls;
using Callbridge.Ice;

namespace Callbridge.WebRtc.Tests;

/// <summary>
/// What a connection says about ICE and DTLS when it is asked, and when it does not come up in time. Two
/// PeerConnections over loopback; needs the test namespace (scripts/test-in-netns.sh).
/// </summary>
public class PeerConnectionDiagnosticsTests
{
    private static PeerConnectionOptions Loopback() => new()
    {
        Interfaces = ["lo"],
        Addresses = [IPAddress.Loopback],
        IncludeLoopback = true,
        EnableIPv6 = false,
    };

    [Fact]
    public async Task A_connected_publication_reports_its_nominated_pair_the_peers_checks_and_dtls()
    {
        await using var publisher = new PeerConnection(Loopback());
        await using var receiver = new PeerConnection(Loopback());
        Assert.Equal(PeerConnectionError.None, publisher.TryCreateAudioOffer(out string? offer));
        Assert.Equal(PeerConnectionError.None, receiver.TryApplyOffer(offer!, out string? answer));
        Assert.Equal(PeerConnectionError.None, publisher.TryApplyAnswer(answer!));
        Assert.Equal(PeerConnectionState.Connected, await publisher.WaitSettledAsync(TimeSpan.FromSeconds(20)));

        PeerConnectionDiagnostics diagnostics = await publisher.GetDiagnosticsAsync();
        Assert.Equal(PeerConnectionState.Connected, diagnostics.State);
        Assert.Equal(DtlsRole.Server, diagnostics.DtlsRole); // the answerer took a=setup:active
        Assert.True(diagnostics.DtlsStarted);
        Assert.Equal(DtlsHandshakeStatus.Connected, diagnostics.DtlsStatus);
        Assert.True(diagnostics.DtlsDatagramsReceived > 0, diagnostics.ToString());
        Assert.Equal(0, diagnostics.DtlsDatagramsBeforeTransport);

        IceDiagnostics ice = diagnostics.Ice!;
        Assert.Equal(IceRole.Controlling, ice.Role);
        Assert.True(ice.RemoteCredentialsKnown);
        Assert.True(ice.RequestsReceived > 0, ice.ToString());
        Assert.Equal(0, ice.BadRequestsSent + ice.UnauthorizedSent + ice.RoleConflictsSent);
        IcePairDiagnostics pair = Assert.Single(ice.Pairs, p => p.Nominated);
        Assert.Equal(IceCandidatePairState.Succeeded, pair.State);
        Assert.True(pair.ChecksSent >= 2 && pair.ResponsesReceived >= 2, pair.ToString()); // a check, then the nominating one
        Assert.Contains("nominated", diagnostics.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_peer_that_is_gone_times_out_with_an_error_naming_what_ice_and_dtls_did()
    {
        await using var publisher = new PeerConnection(Loopback());
        string? answer;
        Assert.Equal(PeerConnectionError.None, publisher.TryCreateAudioOffer(out string? offer));
        await using (var receiver = new PeerConnection(Loopback()))
        {
            Assert.Equal(PeerConnectionError.None, receiver.TryApplyOffer(offer!, out answer));
        }

        // The answer names sockets that are closed now: our checks go unanswered.
        Assert.Equal(PeerConnectionError.None, publisher.TryApplyAnswer(answer!));
        var timeout = TimeSpan.FromSeconds(2);
        PeerConnectionTimeoutException error = await Assert.ThrowsAsync<PeerConnectionTimeoutException>(() => publisher.WaitSettledAsync(timeout));

        Assert.Equal(timeout, error.Timeout);
        PeerConnectionDiagnostics diagnostics = error.Diagnostics;
        Assert.Equal(PeerConnectionState.Connecting, diagnostics.State);
        Assert.True(diagnostics.DtlsStarted); // as DTLS server it waits for a ClientHello that never comes
        Assert.Null(diagnostics.DtlsStatus);
        Assert.Equal(0, diagnostics.DtlsDatagramsReceived);
        IceDiagnostics ice = diagnostics.Ice!;
        Assert.Equal(IceConnectionState.Checking, ice.State);
        Assert.Equal(0, ice.RequestsReceived);
        IcePairDiagnostics pair = Assert.Single(ice.Pairs);
        Assert.True(pair.ChecksSent >= 2, pair.ToString()); // the first check and its retransmission after 500 ms
        Assert.Equal(0, pair.ResponsesReceived);
        Assert.Contains("ICE Checking as Controlling", error.Message, StringComparison.Ordinal);
        Assert.Contains("peer requests 0", error.Message, StringComparison.Ordinal);
    }
}
