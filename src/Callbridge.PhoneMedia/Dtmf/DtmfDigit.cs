namespace Callbridge.PhoneMedia;

/// <summary>One key press: '0'-'9', '*', '#', 'A'-'D', its tone length (zero when the signalling gave none) and where it came from.</summary>
public readonly record struct DtmfDigit(char Digit, TimeSpan Duration, DtmfSource Source);
