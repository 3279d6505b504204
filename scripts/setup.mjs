console.log("setup: nothing to do yet");
