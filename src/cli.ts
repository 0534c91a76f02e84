console.log("policy-cite");
