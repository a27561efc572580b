using System.Text.Json;

namespace Callbridge.Notices.Model;

/// <summary>A published notice with its per-conference sequence number and its JSON, serialized once and
/// shared by every subscriber and the webhook sender.</summary>
public sealed class NoticeEnvelope
{
    internal NoticeEnvelope(long id, HostNotice notice)
    {
        Id = id;
        Notice = notice;
        Json = JsonSerializer.SerializeToUtf8Bytes(notice, NoticeJsonContext.Default.HostNotice);
    }

    /// <summary>1, 2, 3, ... per conference: the SSE id and the webhook's ordering key.</summary>
    public long Id { get; }
    public HostNotice Notice { get; }
    public ReadOnlyMemory<byte> Json { get; }

    /// <summary>An envelope that is not part of the conference's sequence (id 0), e.g. the dropped notice.</summary>
    internal static NoticeEnvelope Unsequenced(HostNotice notice) => new(0, notice);

    public static HostNotice? Deserialize(ReadOnlySpan<byte> json) => JsonSerializer.Deserialize(json, NoticeJsonContext.Default.HostNotice);
}
