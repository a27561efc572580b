namespace Callbridge.Janus;

/// <summary>A JSEP session description as Janus carries it: <c>{"type":"offer","sdp":"...","e2ee":true}</c>.</summary>
/// <param name="Type">"offer" or "answer".</param>
/// <param name="Sdp">The SDP text.</param>
/// <param name="E2ee">Janus 1.1.2 extension: the peer's media is end-to-end encrypted (needed to publish in a require_e2ee room).</param>
public sealed record JanusJsep(string Type, string Sdp, bool E2ee = false)
{
    public static JanusJsep Offer(string sdp, bool e2ee = false) => new("offer", sdp, e2ee);

    public static JanusJsep Answer(string sdp, bool e2ee = false) => new("answer", sdp, e2ee);
}
