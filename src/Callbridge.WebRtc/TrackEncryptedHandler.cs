using Callbridge.FrameCrypto.Classification;

namespace Callbridge.WebRtc;

/// <summary>
/// Called on the connection's loop the first time a track's detector judges its frames encrypted:
/// <paramref name="format"/> is JFrame or SFrame, <paramref name="sinceFirstFrame"/> the time from the
/// track's first depacketized frame to the frame that completed the evidence.
/// </summary>
public delegate void TrackEncryptedHandler(RemoteTrack track, FrameFormat format, TimeSpan sinceFirstFrame);
