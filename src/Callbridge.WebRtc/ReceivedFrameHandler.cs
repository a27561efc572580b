namespace Callbridge.WebRtc;

/// <summary>Called on the connection's loop for every complete frame; copy what you keep, return quickly.</summary>
public delegate void ReceivedFrameHandler(in ReceivedFrame frame);
