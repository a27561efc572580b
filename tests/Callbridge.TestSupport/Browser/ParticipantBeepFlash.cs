using System.Text.Json.Serialization;

namespace Callbridge.TestSupport.Browser;

/// <summary>
/// The page's synchronized beep-and-flash source: a 1 kHz beep and an all-white frame (black otherwise) that
/// start at the same instants, repeating every <see cref="PeriodMs"/>. Video runs at 30 frames a second, so
/// marks on multiples of 100 ms fall on frame instants.
/// </summary>
public sealed class ParticipantBeepFlash
{
    [JsonPropertyName("periodMs")]
    public required int PeriodMs { get; init; }

    /// <summary>Where each mark starts within a period.</summary>
    [JsonPropertyName("marksMs")]
    public required IReadOnlyList<int> MarksMs { get; init; }

    /// <summary>How long each beep and flash lasts (200 ms, as <see cref="Media.BeepFlash.MarkLength"/>).</summary>
    [JsonPropertyName("markMs")]
    public int MarkMs { get; init; } = 200;

    /// <summary>How long beeps are scheduled ahead.</summary>
    [JsonPropertyName("durationMs")]
    public int DurationMs { get; init; } = 120_000;
}
